// Checks run after the network config is known and before anything is created (flanneld's startup order):
// the backend type is one this build ships and its options are valid; in iptables mode br_netfilter is loaded.
import { FlannelError } from '@flannel-ts/core';
import type { NetworkConfig } from '@flannel-ts/core';
import type { DaemonBackendEntry, DaemonDependencies } from './daemon-dependencies.js';

const BR_NETFILTER = { 4: '/proc/sys/net/bridge/bridge-nf-call-iptables', 6: '/proc/sys/net/bridge/bridge-nf-call-ip6tables' } as const;

/**
 * Throws `BACKEND_UNSUPPORTED` for a backend type missing from the map (naming the supported ones), or the
 * backend's own `CONFIG_INVALID` for a bad option. Creates nothing. `flannel-ts config check` runs it too.
 *
 * @example
 * ```ts
 * checkBackendOptions(config, dependencies); // throws "unknown backend type: ipip (this flannel-ts supports alloc, extension, host-gw, udp, vxlan, wireguard)"
 * ```
 */
export function checkBackendOptions(config: NetworkConfig, dependencies: Pick<DaemonDependencies, 'backends'>): void {
  const entry = backendEntry(config.backendType, dependencies);
  if (entry === undefined) {
    const known = Object.keys(dependencies.backends).sort().join(', ');
    throw new FlannelError('BACKEND_UNSUPPORTED', `unknown backend type: ${config.backendType} (this flannel-ts supports ${known})`);
  }
  entry.validate?.(config);
}

/**
 * The map's own entry for a backend type, or `undefined`: a type read from a peer's config such as
 * `constructor` or `__proto__` must not find `Object.prototype`'s members through a plain index.
 *
 * @example
 * ```ts
 * backendEntry('vxlan', dependencies); // the vxlan entry
 * backendEntry('constructor', dependencies); // undefined
 * ```
 */
export function backendEntry(type: string, dependencies: Pick<DaemonDependencies, 'backends'>): DaemonBackendEntry | undefined {
  return Object.hasOwn(dependencies.backends, type) ? dependencies.backends[type] : undefined;
}

/**
 * flanneld's br_netfilter check: in iptables mode, `/proc/sys/net/bridge/bridge-nf-call-iptables` (and the
 * ip6tables one with IPv6) must exist, else bridged pod traffic would bypass the rules. Throws `BACKEND_FAILED`.
 *
 * @example
 * ```ts
 * await checkBrNetfilter(config, (path) => access(path).then(() => true, () => false));
 * ```
 */
export async function checkBrNetfilter(config: NetworkConfig, pathExists: (path: string) => Promise<boolean>): Promise<void> {
  if (config.enableNFTables) return;
  for (const family of [4, 6] as const) {
    if (!(family === 4 ? config.enableIPv4 : config.enableIPv6)) continue;
    if (!(await pathExists(BR_NETFILTER[family]))) {
      throw new FlannelError(
        'BACKEND_FAILED',
        `Failed to check br_netfilter: ${BR_NETFILTER[family]} does not exist: load the br_netfilter module (modprobe br_netfilter) or set EnableNFTables`,
      );
    }
  }
}
