import { isSameLeaseSubnet } from '../lease-watcher.js';
import { sameAttributes } from '../same-attributes.js';
import type { Lease, LeaseEvent } from '../lease.js';

/**
 * The list-scanning `LeaseWatcher` as it was before the index (flannel's approach: a scan of the known leases
 * per snapshot lease and per event). The reference the indexed `LeaseWatcher` must match, and the baseline
 * `bench/core-lease-watcher.ts` measures it against.
 *
 * @example
 * ```ts
 * const reference = new ScanningLeaseWatcher(ownLease);
 * expect(new LeaseWatcher(ownLease).reset(snapshot)).toEqual(reference.reset(snapshot));
 * ```
 */
export class ScanningLeaseWatcher {
  /** The known leases, in the order they became known. */
  leases: Lease[] = [];

  constructor(readonly ownLease?: Lease) {}

  #isOwn(lease: Lease): boolean {
    return this.ownLease !== undefined && isSameLeaseSubnet(lease, this.ownLease);
  }

  /** Replaces the known leases with `snapshot`; returns the events that turn the old set into it. */
  reset(snapshot: readonly Lease[]): LeaseEvent[] {
    const batch: LeaseEvent[] = [];
    const previous = [...this.leases];
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
    this.leases = next;
    return batch;
  }

  /** Applies watch events; returns them as a `LeaseWatcher` reports them. */
  update(events: readonly LeaseEvent[]): LeaseEvent[] {
    const batch: LeaseEvent[] = [];
    for (const event of events) {
      if (this.#isOwn(event.lease)) continue;
      const index = this.leases.findIndex((known) => isSameLeaseSubnet(known, event.lease));
      if (event.type === 'added') {
        if (index < 0) this.leases.push(event.lease);
        else this.leases[index] = event.lease;
        batch.push(event);
      } else if (index < 0) {
        batch.push(event);
      } else {
        const [known] = this.leases.splice(index, 1);
        batch.push({ type: 'removed', lease: known ?? event.lease });
      }
    }
    return batch;
  }
}

