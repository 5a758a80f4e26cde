import type { Lease, LeaseWatchResult, WatchLeasesOptions } from '@flannel-ts/core';
import { decodeEntry, withRetry, type EtcdContext } from './etcd-context.js';
import { linkSignals } from './linked-signal.js';
import { nameOf } from './renew-lease.js';
import { toLeaseEvents, type EtcdLeaseWatchCursor } from './watch-leases.js';
import { watchRange } from './watch-range.js';

/**
 * flannel's `WatchLease` for etcd (`pkg/subnet/etcd/local_manager.go`): one key, not the whole subnets
 * prefix. A read of the key is the snapshot (empty when it is gone), then a watch of that key from the
 * next revision; etcd compaction re-reads it. Ends on `signal` or the manager's close(). The cost is one
 * key's events, whatever the number of nodes: what the alloc backend uses to notice its lease overwritten.
 */
export async function* watchLease(context: EtcdContext, lease: Lease, options: WatchLeasesOptions): AsyncGenerator<LeaseWatchResult, void, undefined> {
  const linked = linkSignals(options.signal, context.closed);
  const { signal } = linked;
  try {
    const config = await withRetry(context, signal, 'reading the network config', () => context.getNetworkConfig(signal));
    if (config === undefined) return;
    const name = nameOf(lease);
    const key = context.registry.subnetKey(name);
    let revision: bigint | undefined;
    while (!signal.aborted) {
      if (revision === undefined) {
        const read = await withRetry(context, signal, `reading ${key}`, () => context.registry.getSubnet(name));
        if (read === undefined) return;
        revision = read.revision;
        const entry = read.entry;
        const current = entry === undefined ? undefined : decodeEntry(context, entry, config, context.expirations.cached(entry.leaseId));
        yield { kind: 'snapshot', leases: current === undefined ? [] : [current], cursor: { revision } satisfies EtcdLeaseWatchCursor };
      }
      for await (const item of watchRange({ registry: context.registry, key, prefix: false, startRevision: revision + 1n, signal, logger: context.logger, previousValues: true })) {
        if (item.kind === 'compacted') {
          revision = undefined;
          break;
        }
        const events = await withRetry(context, signal, 'reading lease expiry', () => toLeaseEvents(context, item.events, config));
        if (events === undefined) return;
        revision = item.revision;
        if (events.length > 0) yield { kind: 'events', events, cursor: { revision } satisfies EtcdLeaseWatchCursor };
      }
    }
  } finally {
    linked[Symbol.dispose]();
  }
}
