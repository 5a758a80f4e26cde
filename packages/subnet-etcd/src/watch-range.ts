import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@flannel-ts/core';
import { prefixRangeEnd, watchCanceledError, type WatchStream } from '@flannel-ts/etcd-client';
import type { EtcdRegistry, RawSubnetEntry } from './etcd-registry.js';
import { etcdErrorOf } from './etcd-errors.js';

/** A put or delete seen by {@link watchRange}. */
export interface RawWatchEvent {
  readonly type: 'put' | 'delete';
  readonly entry: RawSubnetEntry;
  /** The value before the change, when requested and etcd still had it. */
  readonly previous?: RawSubnetEntry;
}

/** What {@link watchRange} yields. */
export type RawWatchItem =
  /** Changes, in revision order; `revision` is where to resume after them. */
  | { readonly kind: 'events'; readonly events: readonly RawWatchEvent[]; readonly revision: bigint }
  /** The requested history is gone (etcd compaction): re-list and start a new watch. Last item. */
  | { readonly kind: 'compacted'; readonly compactRevision: bigint };

/** Options of {@link watchRange}. */
export interface WatchRangeOptions {
  readonly registry: EtcdRegistry;
  /** The key, or the prefix when `prefix` is set. */
  readonly key: string;
  readonly prefix: boolean;
  /** First revision to deliver (the listing's revision + 1). */
  readonly startRevision: bigint;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Ask etcd for each changed key's previous value (`prev_kv`). */
  readonly previousValues?: boolean;
  /** First reconnection delay in ms (default 100), doubling up to `maxBackoff` (default 5 000). */
  readonly initialBackoff?: number;
  readonly maxBackoff?: number;
}

/**
 * Watches a key or prefix from `startRevision` on, resiliently: when the stream fails it reconnects with
 * backoff (100 ms doubling to 5 s, as flannel) from the revision after the last one delivered, so no
 * change is lost or repeated. When etcd no longer has that history it yields `compacted` and ends; the
 * caller re-lists. Ends quietly when `signal` aborts.
 */
export async function* watchRange(options: WatchRangeOptions): AsyncGenerator<RawWatchItem, void, undefined> {
  const { registry, signal, logger } = options;
  const key = Buffer.from(options.key);
  const initialBackoff = options.initialBackoff ?? 100;
  const maxBackoff = options.maxBackoff ?? 5_000;
  let next = options.startRevision;
  let backoff = initialBackoff;

  while (!signal.aborted) {
    let stream: WatchStream | undefined;
    const onAbort = (): void => stream?.close();
    signal.addEventListener('abort', onAbort);
    try {
      stream = registry.client.watch({ requireLeader: true });
      stream.send({
        create: {
          key,
          ...(options.prefix ? { rangeEnd: prefixRangeEnd(key) } : {}),
          startRevision: next,
          progressNotify: true,
          ...(options.previousValues ? { prevKv: true } : {}),
        },
      });
      for await (const response of stream) {
        if (signal.aborted) return;
        if (response.compactRevision !== 0n) {
          yield { kind: 'compacted', compactRevision: response.compactRevision };
          return;
        }
        // A typed EtcdError; a stale token was already dropped by the client, so the reconnect authenticates again.
        if (response.canceled) throw watchCanceledError(response);
        if (response.created) {
          backoff = initialBackoff;
          continue;
        }
        const events = response.events.map(
          (event): RawWatchEvent => ({
            type: event.type,
            entry: registry.toEntry(event.kv),
            ...(event.prevKv ? { previous: registry.toEntry(event.prevKv) } : {}),
          }),
        );
        const last = events.at(-1);
        // Resume after the last delivered event; a batch's header revision can run ahead of it while
        // etcd is still catching a slow watcher up. Progress notifications (no events) are only sent to
        // watchers that are up to date, so their header revision is safe.
        const revision = last ? last.entry.modRevision : response.header.revision;
        if (revision + 1n > next) next = revision + 1n;
        if (events.length > 0) yield { kind: 'events', events, revision };
      }
      if (signal.aborted) return;
      throw new Error('watch stream ended');
    } catch (error) {
      if (signal.aborted) return;
      const detail = registry.describeError(error);
      const code = etcdErrorOf(error)?.code;
      logger.warn({ key: options.key, revision: next.toString(), retryInMs: backoff, ...(code ? { code } : {}) }, `etcd watch failed, reconnecting: ${detail}`);
      await delay(backoff, undefined, { signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, maxBackoff);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stream?.close();
    }
  }
}
