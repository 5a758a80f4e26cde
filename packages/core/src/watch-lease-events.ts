import type { Lease, LeaseEvent } from './lease.js';
import { LeaseWatcher } from './lease-watcher.js';
import type { LeaseScreen } from './lease-screen.js';
import type { OwnLeaseGuard } from './own-lease-guard.js';
import type { SubnetManager } from './subnet-manager.js';

/** Options of {@link watchLeaseEvents}. */
export interface WatchLeaseEventsOptions {
  /** Narrows the events to the leases that may be programmed (see {@link LeaseScreen}). */
  readonly screen?: LeaseScreen;
  /** Is shown every watch result, to notice the own lease overwritten. */
  readonly guard?: OwnLeaseGuard;
}

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
export async function* watchLeaseEvents(
  manager: SubnetManager,
  ownLease: Lease | undefined,
  signal: AbortSignal,
  options: WatchLeaseEventsOptions = {},
): AsyncGenerator<LeaseEvent[], void, undefined> {
  const watcher = new LeaseWatcher(ownLease);
  let first = true;
  for await (const result of manager.watchLeases({ signal })) {
    if (signal.aborted) return;
    options.guard?.observe(result);
    const changes = watcher.apply(result);
    const batch = options.screen === undefined ? changes : options.screen.update(changes);
    if (batch.length > 0 || first) yield batch;
    first = false;
  }
}
