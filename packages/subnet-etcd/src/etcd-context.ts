import { decodeLease, FlannelError, type DecodeLeaseOptions, type Lease, type Logger, type NetworkConfig } from '@flannel-ts/core';
import { entryLeaseKey, type EtcdRegistry, type RawSubnetEntry } from './etcd-registry.js';
import type { LeaseExpirations } from './lease-expirations.js';
import type { RecentListing } from './recent-listing.js';
import type { Clock, RandomSource } from './etcd-subnet-manager-options.js';
import { printableKey } from './printable-key.js';
import { outsideNetwork } from './subnet-allocation.js';

/** What the manager's operations share. @internal */
export interface EtcdContext {
  readonly registry: EtcdRegistry;
  readonly expirations: LeaseExpirations;
  /** The last acquisition's listing, for the first watch's snapshot. */
  readonly recentListing: RecentListing;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly renewMarginMs: number;
  readonly acquireAttempts: number;
  /** Resolve expiry dates of watched leases (`EtcdSubnetManagerOptions.watchExpirations`). */
  readonly watchExpirations: boolean;
  /** Aborted by `close()`: ends running watches and completeLease calls. */
  readonly closed: AbortSignal;
  /** Reads and parses `<prefix>/config`. */
  readonly getNetworkConfig: (signal?: AbortSignal) => Promise<NetworkConfig>;
}

/**
 * Decodes a stored entry into a lease, or logs a warning naming the key (escaped and shortened: it comes
 * from the datastore) and returns `undefined` when the key or value does not decode or the lease lies
 * outside the network. Never throws.
 */
export function decodeEntry(
  context: EtcdContext,
  entry: RawSubnetEntry,
  config: NetworkConfig | undefined,
  expiration: Date | undefined,
): Lease | undefined {
  // The key as decoded before (by the acquisition whose listing this is), else now; an undecodable key is
  // left to decodeLease, which explains it.
  const key = entryLeaseKey(entry);
  const options: { -readonly [K in keyof DecodeLeaseOptions]: DecodeLeaseOptions[K] } = { revision: entry.modRevision };
  if (expiration !== undefined) options.expiration = expiration;
  if (entry.createRevision !== undefined) options.createRevision = entry.createRevision;
  if (key.ok) options.decodedKey = key.value;
  const result = decodeLease(entry.name, entry.value, options);
  if (!result.ok) {
    const key = printableKey(entry.key);
    context.logger.warn({ key, code: result.error.code }, `skipping lease ${key}: ${result.error.message}`);
    return undefined;
  }
  const outside = config ? outsideNetwork(result.value, config) : undefined;
  if (outside !== undefined) {
    const key = printableKey(entry.key);
    context.logger.warn({ key }, `skipping lease ${key}: ${outside}`);
    return undefined;
  }
  return result.value;
}

/** A delay of `ms` that ends early (rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `operation`, retrying retryable failures with backoff (100 ms doubling to 5 s) until aborted. */
export async function withRetry<T>(context: EtcdContext, signal: AbortSignal, what: string, operation: () => Promise<T>): Promise<T | undefined> {
  let backoff = 100;
  for (;;) {
    if (signal.aborted) return undefined;
    try {
      return await operation();
    } catch (error) {
      if (FlannelError.isInstance(error) && !error.isRetryable) throw error;
      context.logger.warn({ retryInMs: backoff }, `${what} failed, retrying: ${context.registry.describeError(error)}`);
      await sleep(backoff, signal).catch(() => undefined);
      backoff = Math.min(backoff * 2, 5_000);
    }
  }
}
