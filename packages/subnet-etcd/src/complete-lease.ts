import { FlannelError, type Lease } from '@flannel-ts/core';
import { withRetry, type EtcdContext } from './etcd-context.js';
import { nameOf, renewLease } from './renew-lease.js';
import { watchRange } from './watch-range.js';

/** flannel retries a failed renewal after one minute. */
export const RENEW_RETRY_MS = 60_000;

function revoked(key: string): FlannelError {
  return new FlannelError('LEASE_REVOKED', `lease ${key} has been revoked (its etcd key was deleted or expired)`);
}

/**
 * flannel's `CompleteLease` for etcd (`pkg/subnet/etcd/local_manager.go`): renews the lease `renewMargin` before it expires
 * (retrying every minute on failure) and watches its key: a put (another renewal, an operator's edit)
 * moves the expiry, a delete rejects with `LEASE_REVOKED`. Resolves when `signal` aborts or the manager
 * is closed.
 */
export async function completeLease(context: EtcdContext, lease: Lease, options: { readonly signal: AbortSignal }): Promise<void> {
  const { registry, logger, signal } = { ...context, signal: options.signal };
  const name = nameOf(lease);
  const key = registry.subnetKey(name);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  context.closed.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted || context.closed.aborted) stop.abort();
  let current = lease;
  let timer: NodeJS.Timeout | undefined;

  const schedule = (delayMs?: number): void => {
    clearTimeout(timer);
    timer = undefined;
    if (stop.signal.aborted) return;
    if (delayMs === undefined) {
      if (current.expiration === undefined) return; // a reservation never expires
      delayMs = Math.max(0, current.expiration.getTime() - context.renewMarginMs - context.clock());
    }
    timer = setTimeout(() => void renew(), delayMs);
  };
  const renew = async (): Promise<void> => {
    try {
      current = await renewLease(context, current);
      logger.info({ key, expiration: current.expiration?.toISOString() }, 'lease renewed');
      schedule();
    } catch (error) {
      if (stop.signal.aborted) return;
      logger.error({ key, retryInMs: RENEW_RETRY_MS }, `error renewing lease, retrying in 1 minute: ${registry.describeError(error)}`);
      schedule(RENEW_RETRY_MS);
    }
  };
  /** Adopts the expiry of the etcd lease now holding the key. */
  const follow = async (leaseId: string, revision: bigint): Promise<void> => {
    await context.expirations.resolve([leaseId]);
    const expiration = context.expirations.cached(leaseId);
    const { expiration: _old, ...rest } = current;
    current = { ...rest, ...(expiration !== undefined && { expiration }), revision };
    schedule();
  };

  try {
    let revision = current.revision;
    if (revision === undefined) {
      const read = await withRetry(context, stop.signal, `reading ${key}`, () => registry.getSubnet(name));
      if (read === undefined) return;
      if (read.entry === undefined) throw revoked(key);
      revision = read.revision;
    }
    schedule();
    while (!stop.signal.aborted) {
      let compacted = false;
      for await (const item of watchRange({ registry, key, prefix: false, startRevision: revision + 1n, signal: stop.signal, logger })) {
        if (item.kind === 'compacted') {
          compacted = true;
          break;
        }
        for (const event of item.events) {
          // A lease's TTL read failing (etcd briefly away) must not end completeLease: retry it.
          if (event.type === 'delete') {
            logger.error({ key }, 'Lease has been revoked. Shutting down daemon.');
            throw revoked(key);
          }
          await withRetry(context, stop.signal, `reading the TTL of ${key}`, () => follow(event.entry.leaseId, event.entry.modRevision));
        }
        revision = item.revision;
      }
      if (compacted) {
        const read = await withRetry(context, stop.signal, `reading ${key}`, () => registry.getSubnet(name));
        if (read === undefined) return;
        if (read.entry === undefined) {
          logger.error({ key }, 'Lease has been revoked. Shutting down daemon.');
          throw revoked(key);
        }
        const { entry } = read;
        await withRetry(context, stop.signal, `reading the TTL of ${key}`, () => follow(entry.leaseId, entry.modRevision));
        revision = read.revision;
      }
    }
  } finally {
    stop.abort();
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    context.closed.removeEventListener('abort', onAbort);
  }
}
