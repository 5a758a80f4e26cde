import type { EtcdRegistry } from './etcd-registry.js';

/** Concurrent `LeaseTimeToLive` requests when resolving a snapshot. */
const CONCURRENCY = 32;

/**
 * Expiry dates of etcd leases, by lease ID, resolved with one `LeaseTimeToLive` each and cached.
 *
 * The cache is exact for flannel's leases: flannel (and flannel-ts) never keep a lease alive — a renewal
 * grants a new lease — so an ID's expiry never moves. A snapshot after compaction therefore costs
 * requests only for leases granted since the last one. Lease ID `0` (no etcd lease: a reservation)
 * never expires and costs nothing.
 */
export class LeaseExpirations {
  readonly #known = new Map<string, Date | null>();
  /** IDs granted by this manager: kept across listings (one per renewal, a handful a day). */
  readonly #own = new Set<string>();

  constructor(
    private readonly registry: EtcdRegistry,
    private readonly clock: () => number,
  ) {}

  /** Records what the caller learnt itself (a grant it made). */
  remember(leaseId: string, expiration: Date | undefined): void {
    if (leaseId === '0') return;
    this.#known.set(leaseId, expiration ?? null);
    this.#own.add(leaseId);
  }

  /** The cached expiry; `undefined` for a reservation or a lease already gone. */
  cached(leaseId: string): Date | undefined {
    return this.#known.get(leaseId) ?? undefined;
  }

  /** Resolves every uncached ID of `leaseIds` (bounded concurrency). */
  async resolve(leaseIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(leaseIds)].filter((id) => id !== '0' && !this.#known.has(id));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length) {
        const id = missing[next++] as string;
        const ttl = await this.registry.timeToLive(id);
        this.#known.set(id, ttl === undefined ? null : new Date(this.clock() + ttl * 1000));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, missing.length) }, worker));
  }

  /** Drops IDs not in `live` (after a fresh listing), so the cache stays as large as the cluster. */
  retainOnly(live: Iterable<string>): void {
    const keep = new Set(live);
    for (const id of this.#known.keys()) if (!keep.has(id) && !this.#own.has(id)) this.#known.delete(id);
  }
}
