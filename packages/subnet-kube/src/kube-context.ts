import type { Logger, NetworkConfig } from '@flannel-ts/core';
import type { BackoffPolicy, KubeClient } from '@flannel-ts/kube-client';
import type { KubeAnnotationNames } from './kube-annotations.js';

/** What the manager's parts share (built once by `createKubeSubnetManager`). */
export interface KubeContext {
  readonly client: KubeClient;
  readonly nodeName: string;
  readonly names: KubeAnnotationNames;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly random: () => number;
  readonly reflectorBackoff: BackoffPolicy | undefined;
  readonly pollIntervalMs: number;
  readonly patchTimeoutMs: number;
  readonly syncTimeoutMs: number;
  readonly continueWhenCacheNotReady: boolean;
  readonly waitForPodCidr: boolean;
  readonly setNodeNetworkUnavailable: boolean;
  /** The net config, read once. */
  networkConfig(signal?: AbortSignal): Promise<NetworkConfig>;
}

/** Backends flannel runs dual-stack in kube mode (`pkg/subnet/kube/kube.go`); others are forced to IPv4 only. */
export const DUAL_STACK_BACKENDS: ReadonlySet<string> = new Set(['vxlan', 'host-gw', 'wireguard']);

/** Which families leases use under a config: IPv6 only for dual-stack backends. */
export function leaseFamilies(config: NetworkConfig): { readonly enableIPv4: boolean; readonly enableIPv6: boolean } {
  return { enableIPv4: config.enableIPv4, enableIPv6: config.enableIPv6 && DUAL_STACK_BACKENDS.has(config.backendType) };
}
