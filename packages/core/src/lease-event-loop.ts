// The other run loop a backend can choose: driven by lease events only, for backends whose per-lease
// action is not idempotent or not cheap to repeat (extension's SubnetAddCommand, a cloud route API,
// udp's route table). There is no periodic full pass: each change of another node's lease is handed to
// the backend exactly once, in order. A lease re-announced with the same attributes (an etcd lease
// renewal rewrites the key) is not a change; a snapshot after a reconnect yields only the differences
// from what was already handed over. flannel drives extension, udp and the cloud backends the same way
// (pkg/backend/extension/extension_network.go, pkg/backend/udp/network_amd64.go: one handler per event).
import type { Lease, LeaseAttributes, LeaseEvent } from './lease.js';
import { leaseKey } from './lease-key.js';
import type { LeaseRules } from './lease-rules.js';
import { sameAttributes } from './same-attributes.js';
import { watchScreenedLeaseEvents } from './screened-lease-events.js';
import type { Logger } from './logger.js';
import type { SubnetManager } from './subnet-manager.js';

/** Options of {@link runLeaseEventLoop}. */
export interface LeaseEventLoopOptions {
  /** The node's own lease (its events are dropped). */
  readonly lease: Lease;
  readonly subnetManager: SubnetManager;
  /** Stops the loop; it resolves once the event being handled has returned. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /**
   * Acts on one change: `added` for a new lease or one whose attributes changed, `removed` for a lease
   * that is gone. Called one at a time, in order. A rejection is logged (naming the lease) and the loop
   * goes on with the next event: the event is not retried, since the action may have half-happened.
   */
  readonly handle: (event: LeaseEvent, signal: AbortSignal) => Promise<void>;
  /** Called after each batch of events was handled (tests, metrics). */
  readonly onBatch?: (batch: { readonly handled: number; readonly failed: number }) => void;
  /** What remote leases are checked against; default: the own lease only (see runLeaseReconcileLoop). */
  readonly leaseRules?: LeaseRules;
  /** Keys no two handed-over leases may share besides their subnets; see {@link LeaseScreen}. */
  readonly conflictKeys?: (lease: Lease) => readonly string[];
  /** Least time between two re-assertions of an overwritten own lease; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
}

/**
 * Runs an event-driven backend until `signal` aborts. Rejects with the lease watch's error when the
 * watch fails. Use {@link runLeaseReconcileLoop} instead when the backend can compare the wanted state
 * with the actual one and apply the difference (routes, neighbours, FDB entries): that loop also
 * repairs what someone else removed. See docs/architecture.md, "Reconcile or react".
 *
 * @example
 * ```ts
 * await runLeaseEventLoop({
 *   lease, subnetManager, logger, signal,
 *   handle: async (event) =>
 *     event.type === 'added' ? run(config.subnetAddCommand, event.lease) : run(config.subnetRemoveCommand, event.lease),
 * });
 * ```
 */
export async function runLeaseEventLoop(options: LeaseEventLoopOptions): Promise<void> {
  const { signal, logger } = options;
  // What was last handed over per lease key: a re-announced lease with equal attributes is not a change.
  const handed = new Map<string, LeaseAttributes>();
  // Leases are untrusted: only those that pass the rules and win their conflicts are handed over.
  const batches = watchScreenedLeaseEvents({
    subnetManager: options.subnetManager,
    lease: options.lease,
    signal,
    logger,
    ...(options.leaseRules === undefined ? {} : { leaseRules: options.leaseRules }),
    ...(options.conflictKeys === undefined ? {} : { conflictKeys: options.conflictKeys }),
    ...(options.reassertIntervalMs === undefined ? {} : { reassertIntervalMs: options.reassertIntervalMs }),
  });
  for await (const batch of batches) {
    let handled = 0;
    let failed = 0;
    for (const event of batch) {
      if (signal.aborted) return;
      const key = keyOf(event.lease);
      if (event.type === 'added') {
        const before = handed.get(key);
        if (before !== undefined && sameAttributes(before, event.lease.attributes)) continue;
        handed.set(key, event.lease.attributes);
      } else {
        handed.delete(key);
      }
      handled += 1;
      try {
        await options.handle(event, signal);
      } catch (error) {
        if (signal.aborted) return;
        failed += 1;
        logger.warn({ lease: key, event: event.type, err: error }, `handling ${event.type} lease ${key} failed: ${(error as Error).message}`);
      }
    }
    options.onBatch?.({ handled, failed });
  }
}

function keyOf(lease: Lease): string {
  if (lease.subnet?.family === 4) return leaseKey.encode({ subnet: lease.subnet, ...(lease.ipv6Subnet ? { ipv6Subnet: lease.ipv6Subnet } : {}) });
  return lease.ipv6Subnet?.toString() ?? '';
}
