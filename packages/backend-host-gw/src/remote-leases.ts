// Same as @flannel-ts/backend-vxlan's copy; kept per package so the backends stay independent.
import type { Lease, LeaseWatchResult } from '@flannel-ts/core';

/**
 * The set of remote leases, kept from a `watchLeases` stream: a snapshot replaces the set, events add
 * or remove one lease. The node's own lease is never kept (flannel's `LeaseWatcher` rule: dual-stack
 * leases compare both subnets, IPv6-only leases the IPv6 subnet, others the IPv4 subnet).
 */
export class RemoteLeases {
  readonly #own: Lease;
  readonly #leases = new Map<string, Lease>();
  /** True once a snapshot (or any event) has been seen: before that the set is not known. */
  known = false;

  constructor(own: Lease) {
    this.#own = own;
  }

  /** Applies one watch result. */
  apply(result: LeaseWatchResult): void {
    if (result.kind === 'snapshot') {
      this.#leases.clear();
      for (const lease of result.leases) this.#add(lease);
    } else {
      for (const event of result.events) {
        if (event.type === 'added') this.#add(event.lease);
        else this.#leases.delete(leaseKey(event.lease));
      }
    }
    this.known = true;
  }

  /** The remote leases, in no particular order. */
  values(): Lease[] {
    return [...this.#leases.values()];
  }

  #add(lease: Lease): void {
    if (!isSameLease(this.#own, lease)) this.#leases.set(leaseKey(lease), lease);
  }
}

function leaseKey(lease: Lease): string {
  return `${lease.subnet?.toString() ?? ''}&${lease.ipv6Subnet?.toString() ?? ''}`;
}

function isSameLease(own: Lease, other: Lease): boolean {
  if (own.enableIPv4 && own.enableIPv6) {
    return own.subnet?.equals(other.subnet) === true && own.ipv6Subnet?.equals(other.ipv6Subnet) === true;
  }
  if (own.enableIPv6) return own.ipv6Subnet?.equals(other.ipv6Subnet) === true;
  return own.subnet?.equals(other.subnet) === true;
}
