import type { Lease, LeaseAttributes, LeaseEvent, LeaseWatchResult } from './lease.js';

/**
 * Whether two leases name the same node slot, by flannel's `sameSubnet` rules, using the flags of
 * `reference`: IPv4-only compares `subnet`, IPv6-only compares `ipv6Subnet`, dual stack compares both,
 * and a lease with neither flag (flannel's etcd/own-lease case) compares `subnet`.
 *
 * @example
 * ```ts
 * isSameLeaseSubnet(known, incoming); // true when incoming replaces known
 * ```
 */
export function isSameLeaseSubnet(reference: Lease, other: Lease): boolean {
  const sameV4 = reference.subnet !== undefined ? reference.subnet.equals(other.subnet) : other.subnet === undefined;
  const sameV6 = reference.ipv6Subnet !== undefined ? reference.ipv6Subnet.equals(other.ipv6Subnet) : other.ipv6Subnet === undefined;
  if (reference.enableIPv4 && reference.enableIPv6) return sameV4 && sameV6;
  if (reference.enableIPv6) return sameV6;
  return sameV4;
}

function sameAttributes(a: LeaseAttributes, b: LeaseAttributes): boolean {
  return (
    a.publicIP === b.publicIP &&
    a.publicIPv6 === b.publicIPv6 &&
    a.backendType === b.backendType &&
    a.backendData === b.backendData &&
    a.backendV6Data === b.backendV6Data
  );
}

/**
 * Turns a lease watch (snapshots and events) into `added`/`removed` batches against the set of leases
 * already known, leaving out this node's own lease: flannel's `lease.LeaseWatcher`.
 *
 * - `update(events)`: an `added` lease replaces the known lease of the same subnet(s) or joins the set;
 *   `removed` drops it (and is passed on even when unknown, as flannel does).
 * - `reset(snapshot)`: `added` for leases not known before, `removed` for known leases missing from
 *   the snapshot. Unlike flannel, a known lease whose attributes changed is also reported `added`
 *   (so a VTEP MAC changed during an etcd compaction gap is not missed), and the own lease never
 *   enters the known set.
 *
 * @example
 * ```ts
 * const watcher = new LeaseWatcher(ownLease);
 * for await (const result of manager.watchLeases({ signal })) {
 *   const batch = watcher.apply(result);
 *   if (batch.length > 0) await reconcile(batch);
 * }
 * ```
 */
export class LeaseWatcher {
  #leases: Lease[] = [];

  /** @param ownLease This node's lease; events about its subnet(s) are dropped. */
  constructor(readonly ownLease?: Lease) {}

  /** The leases currently known (the own lease excluded). */
  get leases(): readonly Lease[] {
    return this.#leases;
  }

  #isOwn(lease: Lease): boolean {
    return this.ownLease !== undefined && isSameLeaseSubnet(lease, this.ownLease);
  }

  /** Applies one watch result: a snapshot resets, events update. Returns the resulting batch. */
  apply(result: LeaseWatchResult): LeaseEvent[] {
    return result.kind === 'snapshot' ? this.reset(result.leases) : this.update(result.events);
  }

  /** Replaces the known set with `snapshot`, returning the differences as events. */
  reset(snapshot: readonly Lease[]): LeaseEvent[] {
    const batch: LeaseEvent[] = [];
    const previous = [...this.#leases];
    const next: Lease[] = [];
    for (const lease of snapshot) {
      if (this.#isOwn(lease)) continue;
      const index = previous.findIndex((known) => isSameLeaseSubnet(known, lease));
      if (index < 0) batch.push({ type: 'added', lease });
      else {
        const [known] = previous.splice(index, 1);
        if (known !== undefined && !sameAttributes(known.attributes, lease.attributes)) batch.push({ type: 'added', lease });
      }
      next.push(lease);
    }
    for (const lease of previous) batch.push({ type: 'removed', lease });
    this.#leases = next;
    return batch;
  }

  /** Applies incremental events to the known set, returning the events that matter. */
  update(events: readonly LeaseEvent[]): LeaseEvent[] {
    const batch: LeaseEvent[] = [];
    for (const event of events) {
      if (this.#isOwn(event.lease)) continue;
      const index = this.#leases.findIndex((known) => isSameLeaseSubnet(known, event.lease));
      if (event.type === 'added') {
        if (index < 0) this.#leases.push(event.lease);
        else this.#leases[index] = event.lease;
        batch.push(event);
      } else if (index < 0) {
        batch.push(event);
      } else {
        const [known] = this.#leases.splice(index, 1);
        batch.push({ type: 'removed', lease: known ?? event.lease });
      }
    }
    return batch;
  }
}
