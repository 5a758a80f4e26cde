import type { RawSubnetEntry, RawSubnetListing } from './etcd-registry.js';

/** How long an acquisition's listing may stand in for a watch's snapshot (and is held in memory). */
export const RECENT_LISTING_MAX_AGE_MS = 30_000;

/** A listing handed from an acquisition to the first watch, with this manager's own writes laid over it. */
export interface ReusedListing extends RawSubnetListing {
  /**
   * Keys whose entry in `entries` is newer than `revision` (this manager wrote them after the listing), each
   * with the revision of that write: the watch from `revision + 1` skips their events up to it, which the
   * snapshot already shows.
   */
  readonly ownWritesShown: ReadonlyMap<string, bigint>;
}

interface Held {
  readonly listing: RawSubnetListing;
  readonly at: number;
  /** Own writes after the listing, by key: the entry as written (`undefined` once deleted) and its revision. */
  readonly writes: Map<string, { entry: RawSubnetEntry | undefined; revision: bigint }>;
}

/**
 * The listing of every lease that `acquireLease` reads (it needs them all to reuse a lease by PublicIP and to
 * find a free subnet), kept briefly so the watch that follows — the daemon starts one right after — can take
 * it as its snapshot instead of reading every lease again. Plus the acquisition's own writes, so the snapshot
 * still holds this node's lease as written. Taken once; dropped after {@link RECENT_LISTING_MAX_AGE_MS} or
 * when the manager closes. @internal
 */
export class RecentListing {
  #held: Held | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: () => number,
    private readonly maxAgeMs = RECENT_LISTING_MAX_AGE_MS,
  ) {}

  /** Keeps `listing` (read just now), replacing whatever was kept. */
  keep(listing: RawSubnetListing): void {
    this.clear();
    this.#held = { listing, at: this.clock(), writes: new Map() };
    this.#timer = setTimeout(() => this.clear(), this.maxAgeMs);
    this.#timer.unref();
  }

  /** Records a write this manager made after the kept listing: `entry` as stored, or `undefined` for a delete. */
  wrote(key: string, entry: RawSubnetEntry | undefined, revision: bigint): void {
    this.#held?.writes.set(key, { entry, revision });
  }

  /** The kept listing with the own writes applied, once; `undefined` when there is none or it is too old. */
  take(): ReusedListing | undefined {
    const held = this.#held;
    this.clear();
    if (held === undefined || this.clock() - held.at > this.maxAgeMs) return undefined;
    const { listing, writes } = held;
    if (writes.size === 0) return { ...listing, ownWritesShown: new Map() };
    // etcd lists in key order: replace in place, and put new keys where a listing would have them.
    const entries: RawSubnetEntry[] = [];
    const listed = new Set<string>();
    for (const entry of listing.entries) {
      const write = writes.get(entry.key);
      if (write === undefined) entries.push(entry);
      else {
        listed.add(entry.key);
        if (write.entry !== undefined) entries.push(write.entry);
      }
    }
    const added = [...writes.values()].flatMap((write) => (write.entry !== undefined && !listed.has(write.entry.key) ? [write.entry] : []));
    if (added.length > 0) {
      entries.push(...added);
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    const ownWritesShown = new Map<string, bigint>();
    for (const [key, write] of writes) ownWritesShown.set(key, write.revision);
    return { entries, revision: listing.revision, ownWritesShown };
  }

  /** Drops the kept listing. */
  clear(): void {
    this.#held = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
