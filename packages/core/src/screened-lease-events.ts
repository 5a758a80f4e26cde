// The lease changes an event-driven backend may act on (extension, udp, wireguard, and core's
// runLeaseEventLoop): the manager's watch through a LeaseWatcher, narrowed by a LeaseScreen to the leases
// that pass the rules and win their conflicts, with an OwnLeaseGuard watching for this node's lease
// overwritten. flanneld hands every event over unchecked (pkg/subnet/watch.go).
import type { Lease, LeaseEvent } from './lease.js';
import { leaseRulesFor } from './lease-rules.js';
import type { LeaseRules } from './lease-rules.js';
import { LeaseScreen } from './lease-screen.js';
import { LeaseWatcher } from './lease-watcher.js';
import type { Logger } from './logger.js';
import { OwnLeaseGuard } from './own-lease-guard.js';
import type { SubnetManager } from './subnet-manager.js';

/** Options of {@link watchScreenedLeaseEvents}. */
export interface ScreenedLeaseEventsOptions {
  readonly subnetManager: SubnetManager;
  /** This node's lease: its events are dropped, its subnet and PublicIP are off limits, it is re-asserted when overwritten. */
  readonly lease: Lease;
  /** Ends the watch and any pending re-assertion. */
  readonly signal: AbortSignal;
  /** Rejected leases (warn, once per lease and reason) and an overwritten own lease (error). */
  readonly logger: Logger;
  /** What remote leases are checked against: pass `leaseRulesFor(config, lease)`. Default: the own lease only. */
  readonly leaseRules?: LeaseRules;
  /** Keys no two handed-over leases may share besides their subnets (wireguard: the PublicKey); see {@link LeaseScreen}. */
  readonly conflictKeys?: (lease: Lease) => readonly string[];
  /** Least time between two re-assertions of an overwritten own lease; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
}

/**
 * The two defences every run loop puts between the watch and a backend: a {@link LeaseScreen} over the
 * remote leases and an {@link OwnLeaseGuard} over this node's lease, built from the same options.
 *
 * @example
 * ```ts
 * const { screen, guard } = leaseDefences({ subnetManager, lease, signal, logger, leaseRules });
 * ```
 */
export function leaseDefences(options: ScreenedLeaseEventsOptions): { readonly screen: LeaseScreen; readonly guard: OwnLeaseGuard } {
  const { subnetManager, lease, signal, logger } = options;
  const screen = new LeaseScreen({
    rules: options.leaseRules ?? leaseRulesFor(undefined, lease),
    logger,
    ...(options.conflictKeys === undefined ? {} : { conflictKeys: options.conflictKeys }),
  });
  const guard = new OwnLeaseGuard({
    lease,
    subnetManager,
    logger,
    signal,
    ...(options.reassertIntervalMs === undefined ? {} : { reassertIntervalMs: options.reassertIntervalMs }),
  });
  return { screen, guard };
}

/**
 * Like `watchLeaseEvents`, but only the changes of the accepted lease set: a lease that breaks the
 * rules or loses a conflict is never yielded as `added`, and one that stops being accepted is yielded as
 * `removed`. A batch is yielded for the initial state and for every watch result that changed the lease
 * set, even when screening left it empty. Ends once a re-assertion in flight has settled.
 *
 * @example
 * ```ts
 * for await (const batch of watchScreenedLeaseEvents({ subnetManager, lease, signal, logger, leaseRules: leaseRulesFor(config, lease) })) {
 *   for (const event of batch) event.type === 'added' ? addPeer(event.lease) : removePeer(event.lease);
 * }
 * ```
 */
export async function* watchScreenedLeaseEvents(options: ScreenedLeaseEventsOptions): AsyncGenerator<LeaseEvent[], void, undefined> {
  const { subnetManager, lease, signal } = options;
  const { screen, guard } = leaseDefences(options);
  const watcher = new LeaseWatcher(lease);
  let first = true;
  try {
    for await (const result of subnetManager.watchLeases({ signal })) {
      if (signal.aborted) return;
      guard.observe(result);
      const changes = watcher.apply(result);
      // A batch the screen emptied is still yielded (empty): the consumer's per-batch report then tells
      // that the change was seen and refused.
      if (changes.length > 0 || first) yield screen.update(changes);
      first = false;
    }
  } finally {
    await guard.settled();
  }
}
