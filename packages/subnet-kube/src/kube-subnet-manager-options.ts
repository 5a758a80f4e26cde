import type { Logger } from '@flannel-ts/core';
import type { BackoffPolicy, KubeClient } from '@flannel-ts/kube-client';

/** flannel's default `--net-config-path`: the `kube-flannel-cfg` ConfigMap's `net-conf.json`, mounted. */
export const DEFAULT_NET_CONFIG_PATH = '/etc/kube-flannel/net-conf.json';

/** Options of {@link createKubeSubnetManager}; they mirror flanneld's kube flags. */
export interface KubeSubnetManagerOptions {
  /** The Kubernetes client (`createKubeClient(buildConfigFromFlags(…))`). */
  readonly client: KubeClient;
  /** This node's name (`NODE_NAME`, or `spec.nodeName` of the own pod: see `resolveNodeName`). */
  readonly nodeName: string;
  /** `--kube-annotation-prefix` (default `flannel.alpha.coreos.com`). */
  readonly annotationPrefix?: string;
  /** `--net-config-path` (default `/etc/kube-flannel/net-conf.json`), read once. */
  readonly netConfigPath?: string;
  /** `--set-node-network-unavailable` (default `true`): `completeLease` sets `NetworkUnavailable=False`. */
  readonly setNodeNetworkUnavailable?: boolean;
  /**
   * When the own Node has no podCIDR yet: `true` (default) waits for kube-controller-manager to assign one,
   * logging why; `false` fails at once with flannel's `node "<n>" pod cidr not assigned`.
   */
  readonly waitForPodCidr?: boolean;
  /** Poll interval while waiting for the own Node, its podCIDR, or retrying its patch (default 3 000 ms, flannel's). */
  readonly pollIntervalMs?: number;
  /** How long the annotation patch is retried (default 30 000 ms, flannel's). */
  readonly patchTimeoutMs?: number;
  /** How long the first node list may take before `watchLeases` fails (default 10 min, flannel's). */
  readonly syncTimeoutMs?: number;
  /** `CONT_WHEN_CACHE_NOT_READY=true`: keep waiting past the sync timeout instead of failing. */
  readonly continueWhenCacheNotReady?: boolean;
  /** Reads the net config file (default `fs.promises.readFile(path, 'utf8')`). */
  readonly readFile?: (path: string) => Promise<string>;
  readonly logger?: Logger;
  /** Clock (default `Date.now`). */
  readonly clock?: () => number;
  /** The node reflector's retry backoff (default client-go's: 800 ms doubling to 30 s, jitter 1.0). */
  readonly reflectorBackoff?: BackoffPolicy;
  /** `[0, 1)` random source for watch timeouts and jitter (default `Math.random`). */
  readonly random?: () => number;
}
