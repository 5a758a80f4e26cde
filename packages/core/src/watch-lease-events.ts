import type { Lease, LeaseEvent } from './lease.js';
import { LeaseWatcher } from './lease-watcher.js';
import type { SubnetManager } from './subnet-manager.js';

/**
 * The lease changes a backend acts on: the manager's watch run through a {@link LeaseWatcher}
 * (flannel's `subnet.WatchLeases`). Yields non-empty batches of events about other nodes, except that
 * the first batch — the initial state — is always yielded, even when empty, so a consumer knows the
 * initial set is complete and can remove stale kernel state. Ends when `signal` aborts; rejects when
 * the manager's watch rejects.
 *
 * @example
 * ```ts
 * for await (const batch of watchLeaseEvents(subnetManager, network.lease, signal)) {
 *   for (const event of batch) event.type === 'added' ? addRoute(event.lease) : removeRoute(event.lease);
 * }
 * ```
 */
export async function* watchLeaseEvents(manager: SubnetManager, ownLease: Lease | undefined, signal: AbortSignal): AsyncGenerator<LeaseEvent[], void, undefined> {
  const watcher = new LeaseWatcher(ownLease);
  let first = true;
  for await (const result of manager.watchLeases({ signal })) {
    if (signal.aborted) return;
    const batch = watcher.apply(result);
    if (batch.length > 0 || first) yield batch;
    first = false;
  }
}
