// The own-lease defence for a backend that watches no other lease (alloc): the manager's watch of this
// node's lease key alone (`SubnetManager.watchLease`, flannel's `WatchLease`) fed to an OwnLeaseGuard, so
// an overwritten own lease is re-asserted as the other backends do, at the cost of one key's events.
// flanneld's alloc does nothing with leases (pkg/backend/alloc/alloc.go).
import type { Lease } from './lease.js';
import type { Logger } from './logger.js';
import { OwnLeaseGuard } from './own-lease-guard.js';
import type { SubnetManager } from './subnet-manager.js';

/** Options of {@link watchOwnLease}. */
export interface WatchOwnLeaseOptions {
  readonly subnetManager: Pick<SubnetManager, 'watchLease' | 'renewLease'>;
  /** This node's lease, with the attributes it published. */
  readonly lease: Lease;
  /** Ends the watch and any pending re-assertion. */
  readonly signal: AbortSignal;
  /** An overwritten own lease (error); a manager without `watchLease` (debug). */
  readonly logger: Logger;
  /** Least time between two re-assertions; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
}

/**
 * Watches this node's lease until `signal` aborts and re-asserts it when someone else overwrote it.
 * Resolves once `signal` aborts (with a manager that has no `watchLease`, e.g. the Kubernetes one, it only
 * waits for that); rejects when the watch fails for another reason.
 *
 * @example
 * ```ts
 * run: (signal) => watchOwnLease({ subnetManager, lease, signal, logger }),
 * ```
 */
export async function watchOwnLease(options: WatchOwnLeaseOptions): Promise<void> {
  const { subnetManager, lease, signal, logger } = options;
  if (subnetManager.watchLease === undefined) {
    logger.debug('the subnet manager cannot watch a single lease: an overwritten own lease goes unnoticed');
    await aborted(signal);
    return;
  }
  const guard = new OwnLeaseGuard(options);
  try {
    for await (const result of subnetManager.watchLease(lease, { signal })) {
      if (signal.aborted) return;
      guard.observe(result);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    await guard.settled();
  }
  // A watch that ended by itself (the manager closed) leaves the network running until abort, as before.
  await aborted(signal);
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
