// Whether a lease's published attributes changed: the one comparison the lease watch (LeaseWatcher), the
// event loop (a renewal is not a change) and the own-lease guard (was our lease overwritten?) share.
import type { LeaseAttributes } from './lease.js';

/**
 * Whether two leases publish the same attributes, field by field: PublicIP, PublicIPv6, BackendType,
 * BackendData and BackendV6Data (backend data compared as the text the key holds).
 *
 * @example
 * ```ts
 * sameAttributes(known.attributes, incoming.attributes); // false when a renewal carried a new VtepMAC
 * ```
 */
export function sameAttributes(a: LeaseAttributes, b: LeaseAttributes): boolean {
  return (
    a.publicIP === b.publicIP &&
    a.publicIPv6 === b.publicIPv6 &&
    a.backendType === b.backendType &&
    a.backendData === b.backendData &&
    a.backendV6Data === b.backendV6Data
  );
}
