import { silentLogger, throwIfAborted, type Lease, type NetworkConfig, type SubnetManager } from '@flannel-ts/core';
import type { KubeClient } from '@flannel-ts/kube-client';
import { acquireLease, KUBE_LEASE_TTL_MS } from './acquire-lease.js';
import { kubeAnnotations, type KubeAnnotationNames } from './kube-annotations.js';
import type { KubeContext } from './kube-context.js';
import { DEFAULT_NET_CONFIG_PATH, type KubeSubnetManagerOptions } from './kube-subnet-manager-options.js';
import { networkAvailablePatch } from './lease-patch.js';
import { readNetConfigFile } from './net-config-file.js';
import { storedNodeData } from './stored-node-data.js';
import { watchNodeLeases } from './watch-node-leases.js';

/** The kube `SubnetManager` (`@flannel-ts/core`), with what it was built from (for logs and tests). */
export interface KubeSubnetManager extends SubnetManager {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly annotations: KubeAnnotationNames;
  /** flannel's `Name()`: `Kubernetes Subnet Manager - <node>`. */
  readonly description: string;
}

/**
 * Creates flannel's Kubernetes subnet manager (`flanneld --kube-subnet-mgr`, `pkg/subnet/kube/kube.go`):
 * leases are the Nodes' podCIDRs, published through node annotations, so flannel-ts and flanneld nodes
 * share one cluster. Throws `FLAG_INVALID` for a bad annotation prefix.
 *
 * - `getNetworkConfig`: `--net-config-path`, read once (`CONFIG_NOT_FOUND`, retryable, while it is missing).
 * - `acquireLease`: the own Node's podCIDR(s) (waits for one), annotations patched on `nodes/<n>/status`.
 * - `watchLeases`: node list + watch → snapshot + events (nothing for `alloc`).
 * - `completeLease`: `NetworkUnavailable=False` (reason `FlannelIsUp`) once, then waits for `signal`.
 * - `renewLease`: no I/O (nothing expires in Kubernetes).
 * - `getStoredNodeData`: VTEP MACs and `node-public-ip(v6)` from the own Node.
 *
 * @example
 * ```ts
 * const client = createKubeClient(buildConfigFromFlags({ apiUrl, kubeconfigPath }), { logger });
 * const nodeName = await resolveNodeName({ client, env: process.env });
 * const manager = createKubeSubnetManager({ client, nodeName, annotationPrefix, netConfigPath, logger });
 * ```
 */
export function createKubeSubnetManager(options: KubeSubnetManagerOptions): KubeSubnetManager {
  const names = kubeAnnotations(options.annotationPrefix);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const path = options.netConfigPath ?? DEFAULT_NET_CONFIG_PATH;
  let config: Promise<NetworkConfig> | undefined;
  const context: KubeContext = {
    client: options.client,
    nodeName: options.nodeName,
    names,
    logger,
    clock,
    random: options.random ?? Math.random,
    reflectorBackoff: options.reflectorBackoff,
    pollIntervalMs: options.pollIntervalMs ?? 3_000,
    patchTimeoutMs: options.patchTimeoutMs ?? 30_000,
    syncTimeoutMs: options.syncTimeoutMs ?? 10 * 60_000,
    continueWhenCacheNotReady: options.continueWhenCacheNotReady ?? false,
    waitForPodCidr: options.waitForPodCidr ?? true,
    setNodeNetworkUnavailable: options.setNodeNetworkUnavailable ?? true,
    networkConfig(signal) {
      throwIfAborted(signal);
      // Read once, as flannel does; a failed read (file not there yet) is retried on the next call.
      config ??= readNetConfigFile(path, options.readFile, logger).catch((error: unknown) => {
        config = undefined;
        throw error;
      });
      return config;
    },
  };
  let closed = false;

  return {
    specificationVersion: 'v1',
    name: 'kube',
    description: `Kubernetes Subnet Manager - ${options.nodeName}`,
    client: options.client,
    nodeName: options.nodeName,
    annotations: names,
    getNetworkConfig: (call = {}) => context.networkConfig(call.signal),
    acquireLease: (attributes, call = {}) => acquireLease(context, attributes, call.signal),
    async renewLease(lease: Lease, call = {}) {
      throwIfAborted(call.signal);
      return { ...lease, expiration: new Date(clock() + KUBE_LEASE_TTL_MS) };
    },
    watchLeases: (watch) => watchNodeLeases(context, watch),
    async completeLease(_lease, { signal }) {
      if (context.setNodeNetworkUnavailable && !signal.aborted) {
        try {
          await options.client.patchNodeStatus(options.nodeName, networkAvailablePatch(new Date(clock())), { signal });
          logger.info({ node: options.nodeName }, 'Set node condition NetworkUnavailable=False (reason FlannelIsUp)');
        } catch (error) {
          if (!signal.aborted) logger.error(`CompleteLease execute error err: ${(error as Error).message}`);
        }
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
    async getStoredNodeData(call = {}) {
      let node;
      try {
        node = await options.client.getNode(options.nodeName, call.signal === undefined ? {} : { signal: call.signal });
      } catch (error) {
        logger.error(`Failed to get node for backend data: ${(error as Error).message}`);
        return {};
      }
      logger.debug({ node: options.nodeName, annotations: node.annotations }, `List of node(${options.nodeName}) annotations`);
      // Outside the try: an invalid node-public-ip annotation fails start-up, it is not a read to ignore.
      return storedNodeData(node, names);
    },
    async close() {
      if (closed) return;
      closed = true;
      options.client.close();
    },
  };
}
