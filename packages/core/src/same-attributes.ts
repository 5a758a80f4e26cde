// Whether a lease's published attributes changed: the one comparison the lease watch (LeaseWatcher), the
// event loop (a renewal is not a change) and the own-lease guard (was our lease overwritten?) share.
import type { LeaseAttributes } from './lease.js';

/**
 * Whether two leases publish the same attributes, field by field: PublicIP, PublicIPv6, BackendType,
 * BackendData and BackendV6Data (backend data compared as the text the key holds). Absent backend data
 * and a JSON `null` are the same: Go's `json.RawMessage` reads both as "no data", and the Kubernetes
 * subnet manager writes `null` to the `backend-data` annotation of a node that has none
 * (pkg/subnet/kube/kube.go), so the own lease read back from the Node must still match what was acquired.
 *
 * @example
 * ```ts
 * sameAttributes(known.attributes, incoming.attributes); // false when a renewal carried a new VtepMAC
 * sameAttributes({ publicIP: '10.0.0.1' }, { publicIP: '10.0.0.1', backendData: 'null' }); // true
 * ```
 */
export function sameAttributes(a: LeaseAttributes, b: LeaseAttributes): boolean {
  return (
    a.publicIP === b.publicIP &&
    a.publicIPv6 === b.publicIPv6 &&
    a.backendType === b.backendType &&
    sameData(a.backendData, b.backendData) &&
    sameData(a.backendV6Data, b.backendV6Data)
  );
}

function sameData(a: string | undefined, b: string | undefined): boolean {
  return (a ?? 'null') === (b ?? 'null');
}
