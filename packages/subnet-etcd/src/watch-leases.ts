import {
  FlannelError,
  leaseAttributes,
  leaseKey,
  type Lease,
  type LeaseEvent,
  type LeaseWatchResult,
  type NetworkConfig,
  type WatchLeasesOptions,
} from '@flannel-ts/core';
import { decodeEntry, withRetry, type EtcdContext } from './etcd-context.js';
import type { RawSubnetEntry, RawSubnetListing } from './etcd-registry.js';
import { linkSignals } from './linked-signal.js';
import { printableKey } from './printable-key.js';
import { outsideNetwork } from './subnet-allocation.js';
import { watchRange, type RawWatchEvent } from './watch-range.js';

/**
 * The cursor of an etcd lease watch: the last etcd revision delivered. Pass it back as
 * `watchLeases({ cursor })` to resume after it.
 */
export interface EtcdLeaseWatchCursor {
  readonly revision: bigint;
}

function readCursor(cursor: unknown): bigint {
  const revision = (cursor as { revision?: unknown } | null)?.revision;
  if (typeof revision === 'bigint' && revision >= 0n) return revision;
  if ((typeof revision === 'string' && /^\d+$/.test(revision)) || (typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 0)) {
    return BigInt(revision);
  }
  throw new FlannelError('INTERNAL', `lease watch cursor ${String(cursor)} is invalid: must be a cursor this etcd watch returned`);
}

async function snapshot(
  context: EtcdContext,
  config: NetworkConfig,
  reused?: RawSubnetListing,
): Promise<{ leases: Lease[]; revision: bigint }> {
  const listing = reused ?? (await context.registry.listSubnets());
  const ids = listing.entries.map((entry) => entry.leaseId);
  if (context.watchExpirations) await context.expirations.resolve(ids);
  context.expirations.retainOnly(ids);
  const leases: Lease[] = [];
  for (const entry of listing.entries) {
    const lease = decodeEntry(context, entry, config, context.expirations.cached(entry.leaseId));
    if (lease !== undefined) leases.push(lease);
  }
  return { leases, revision: listing.revision };
}

/** A removed lease: its subnets from the key, its attributes from the previous value when etcd kept it. */
function removedLease(context: EtcdContext, entry: RawSubnetEntry, previous: RawSubnetEntry | undefined, config: NetworkConfig): Lease | undefined {
  const key = leaseKey.decode(entry.name);
  if (!key.ok) {
    const printable = printableKey(entry.key);
    context.logger.warn({ key: printable }, `skipping removal of ${printable}: ${key.error.message}`);
    return undefined;
  }
  if (outsideNetwork(key.value, config) !== undefined) return undefined;
  const attributes = previous ? leaseAttributes.decode(previous.value) : undefined;
  return {
    enableIPv4: true,
    enableIPv6: key.value.ipv6Subnet !== undefined,
    subnet: key.value.subnet,
    ...(key.value.ipv6Subnet !== undefined && { ipv6Subnet: key.value.ipv6Subnet }),
    attributes: attributes?.ok ? attributes.value : { publicIP: '0.0.0.0' },
    revision: entry.modRevision,
  };
}

/** Turns raw watch events into lease events (undecodable or out-of-network keys skipped with a warning). */
export async function toLeaseEvents(context: EtcdContext, events: readonly RawWatchEvent[], config: NetworkConfig): Promise<LeaseEvent[]> {
  if (context.watchExpirations) {
    await context.expirations.resolve(events.filter((event) => event.type === 'put').map((event) => event.entry.leaseId));
  }
  const out: LeaseEvent[] = [];
  for (const event of events) {
    if (event.type === 'put') {
      const lease = decodeEntry(context, event.entry, config, context.expirations.cached(event.entry.leaseId));
      if (lease !== undefined) out.push({ type: 'added', lease });
    } else {
      const lease = removedLease(context, event.entry, event.previous, config);
      if (lease !== undefined) out.push({ type: 'removed', lease });
    }
  }
  return out;
}

/**
 * flannel's `WatchLeases` (`pkg/subnet/subnet.go`, `pkg/subnet/etcd/registry.go`): one range request for the snapshot, then a watch from the next
 * revision. Right after `acquireLease` (within 30 s) the first watch takes the acquisition's listing, with
 * this manager's own writes laid over it, as its snapshot instead of reading every lease again; the watch
 * then starts after that listing's revision, skipping the events of the own writes the snapshot shows. Failures reconnect with backoff; etcd compaction yields a fresh snapshot and the watch goes on
 * from there, so no lease is missed or repeated. Leases that do not decode or lie outside the network are
 * skipped with a warning naming the key. Only the own lease carries its expiry (from this manager's
 * grants) unless `watchExpirations` asks for everyone's, read with `LeaseTimeToLive` and cached per etcd lease.
 */
export async function* watchLeases(context: EtcdContext, options: WatchLeasesOptions): AsyncGenerator<LeaseWatchResult, void, undefined> {
  // Ends on the caller's abort and on the manager's close().
  const linked = linkSignals(options.signal, context.closed);
  try {
    yield* watchUntilAborted(context, options, linked.signal);
  } finally {
    linked[Symbol.dispose]();
  }
}

async function* watchUntilAborted(
  context: EtcdContext,
  options: WatchLeasesOptions,
  signal: AbortSignal,
): AsyncGenerator<LeaseWatchResult, void, undefined> {
  const config = await withRetry(context, signal, 'reading the network config', () => context.getNetworkConfig(signal));
  if (config === undefined) return;
  let revision: bigint;
  // Own writes the first snapshot already shows (it reused the acquisition's listing): their events are skipped.
  let ownWritesShown: ReadonlyMap<string, bigint> = new Map();
  if (options.cursor === undefined) {
    let reused = context.recentListing.take();
    if (reused !== undefined) ownWritesShown = reused.ownWritesShown;
    const first = await withRetry(context, signal, 'listing leases', () => snapshot(context, config, reused));
    // The consumer works through the snapshot while this generator waits at the yield: hold no listing then.
    reused = undefined;
    if (first === undefined) return;
    revision = first.revision;
    yield { kind: 'snapshot', leases: first.leases, cursor: { revision } satisfies EtcdLeaseWatchCursor };
  } else {
    revision = readCursor(options.cursor);
  }
  while (!signal.aborted) {
    let compacted = false;
    for await (const item of watchRange({
      registry: context.registry,
      key: context.registry.subnetsPrefix,
      prefix: true,
      startRevision: revision + 1n,
      signal,
      logger: context.logger,
      previousValues: true,
    })) {
      if (item.kind === 'compacted') {
        context.logger.info({ compactRevision: item.compactRevision.toString() }, 'etcd history compacted, re-reading every lease');
        compacted = true;
        break;
      }
      let raw = item.events;
      if (ownWritesShown.size > 0) {
        raw = raw.filter((event) => !((ownWritesShown.get(event.entry.key) ?? -1n) >= event.entry.modRevision));
        if (item.revision >= [...ownWritesShown.values()].reduce((highest, next) => (next > highest ? next : highest))) ownWritesShown = new Map();
      }
      const events = await withRetry(context, signal, 'reading lease expiry', () => toLeaseEvents(context, raw, config));
      if (events === undefined) return;
      revision = item.revision;
      if (events.length > 0) yield { kind: 'events', events, cursor: { revision } satisfies EtcdLeaseWatchCursor };
    }
    if (compacted) {
      ownWritesShown = new Map();
      const fresh = await withRetry(context, signal, 'listing leases', () => snapshot(context, config));
      if (fresh === undefined) return;
      revision = fresh.revision;
      yield { kind: 'snapshot', leases: fresh.leases, cursor: { revision } satisfies EtcdLeaseWatchCursor };
    }
  }
}
