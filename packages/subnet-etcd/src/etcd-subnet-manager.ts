import {
  FlannelError,
  parseNetworkConfig,
  silentLogger,
  throwIfAborted,
  type NetworkConfig,
  type SubnetManager,
} from '@flannel-ts/core';
import type { EtcdClient } from '@flannel-ts/etcd-client';
import { acquireLease } from './acquire-lease.js';
import { completeLease } from './complete-lease.js';
import { createEtcdClient } from './etcd-client.js';
import type { EtcdContext } from './etcd-context.js';
import { EtcdRegistry } from './etcd-registry.js';
import {
  DEFAULT_ETCD_PREFIX,
  DEFAULT_RENEW_MARGIN_MINUTES,
  type EtcdSubnetManagerOptions,
} from './etcd-subnet-manager-options.js';
import { LeaseExpirations } from './lease-expirations.js';
import { RecentListing } from './recent-listing.js';
import { renewLease } from './renew-lease.js';
import { watchLease } from './watch-lease.js';
import { watchLeases } from './watch-leases.js';

/** flannel's message when `<prefix>/config` is missing. */
export const CONFIG_NOT_FOUND_MESSAGE = 'flannel config not found in etcd store. Did you create your config using etcdv3 API?';

/** An etcd-backed `SubnetManager` (`@flannel-ts/core`) that also exposes its etcd client (for tests and tools). */
export interface EtcdSubnetManager extends SubnetManager {
  /** The etcd client in use. */
  readonly client: EtcdClient;
  /** `<prefix>/config` and `<prefix>/subnets/`, as used. */
  readonly keys: { readonly config: string; readonly subnets: string };
}

/**
 * Creates flannel's etcd v3 subnet manager: the same keys, JSON and TTLs as flanneld (`pkg/subnet/etcd/local_manager.go`, `registry.go`), so
 * flannel-ts and flannel nodes share one etcd. Lost races for a subnet are retried, and reservations (keys
 * without an etcd lease) stay reservations; see the package README, "Compatibility".
 *
 * @example
 * ```ts
 * const manager = createEtcdSubnetManager({ endpoints: 'http://127.0.0.1:2379', logger });
 * const config = await manager.getNetworkConfig();
 * const lease = await manager.acquireLease({ publicIP: '192.168.1.10', backendType: 'vxlan', backendData });
 * void manager.completeLease(lease, { signal });
 * for await (const batch of manager.watchLeases({ signal })) console.log(batch);
 * await manager.close();
 * ```
 */
export function createEtcdSubnetManager(options: EtcdSubnetManagerOptions): EtcdSubnetManager {
  const logger = options.logger ?? silentLogger;
  const renewMargin = options.renewMargin ?? DEFAULT_RENEW_MARGIN_MINUTES;
  if (!Number.isInteger(renewMargin) || renewMargin < 1 || renewMargin > 1439) {
    throw new FlannelError('FLAG_INVALID', `subnet-lease-renew-margin ${renewMargin} is invalid: must be 1..1439 minutes`);
  }
  const acquireAttempts = options.acquireAttempts ?? 10;
  if (!Number.isInteger(acquireAttempts) || acquireAttempts < 1) {
    throw new FlannelError('FLAG_INVALID', `acquireAttempts ${acquireAttempts} is invalid: must be a positive integer`);
  }
  const client = createEtcdClient(options, logger);
  const registry = new EtcdRegistry(client, options.prefix ?? DEFAULT_ETCD_PREFIX, options.password);
  const clock = options.clock ?? Date.now;

  const getNetworkConfig = async (signal?: AbortSignal): Promise<NetworkConfig> => {
    throwIfAborted(signal);
    const text = await registry.getConfig();
    if (text === undefined) throw new FlannelError('CONFIG_NOT_FOUND', CONFIG_NOT_FOUND_MESSAGE);
    const { config, warnings } = parseNetworkConfig(text);
    for (const warning of warnings) logger.warn({ key: registry.configKey }, String(warning));
    return config;
  };

  const lifetime = new AbortController();
  const context: EtcdContext = {
    registry,
    expirations: new LeaseExpirations(registry, clock),
    recentListing: new RecentListing(clock),
    logger,
    clock,
    random: options.random ?? Math.random,
    renewMarginMs: renewMargin * 60_000,
    acquireAttempts,
    watchExpirations: options.watchExpirations ?? false,
    closed: lifetime.signal,
    getNetworkConfig,
  };
  // Remember each grant's expiry before its key is written, so our own puts seen by a watch are dated
  // without a LeaseTimeToLive round trip and with the very date acquire/renew return.
  registry.onGrant = (leaseId, ttl) => context.expirations.remember(leaseId, new Date(clock() + ttl * 1000));
  let closed = false;

  return {
    specificationVersion: 'v1',
    name: 'etcd',
    client,
    keys: { config: registry.configKey, subnets: registry.subnetsPrefix },
    getNetworkConfig: (callOptions) => getNetworkConfig(callOptions?.signal),
    acquireLease: (attributes, acquireOptions) => acquireLease(context, attributes, acquireOptions),
    renewLease: (lease, callOptions) => renewLease(context, lease, callOptions),
    watchLeases: (watchOptions) => watchLeases(context, watchOptions),
    watchLease: (lease, watchOptions) => watchLease(context, lease, watchOptions),
    completeLease: (lease, completeOptions) => completeLease(context, lease, completeOptions),
    getStoredNodeData: async () => ({}),
    close: async () => {
      if (closed) return;
      closed = true;
      lifetime.abort(new FlannelError('ABORTED', 'the etcd subnet manager was closed'));
      context.recentListing.clear();
      client.close();
    },
  };
}
