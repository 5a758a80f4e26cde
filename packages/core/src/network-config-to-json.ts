import type { NetworkConfig } from './network-config.js';

/**
 * The resolved config as flannel's JSON keys, in flannel's `Config` field order, ready for
 * `JSON.stringify` (what `flannel-ts config check` prints). Networks are CIDR strings, SubnetMin/Max
 * addresses (as flannel stores them); fields of a disabled family are left out; `Backend` always
 * carries its `Type` (`udp` when the config had no `Backend`).
 *
 * @example
 * ```ts
 * JSON.stringify(networkConfigToJSON(parseNetworkConfig('{"network":"10.3.0.0/16"}').config));
 * // {"EnableIPv4":true,"EnableIPv6":false,"EnableNFTables":false,"Network":"10.3.0.0/16",
 * //  "SubnetMin":"10.3.1.0","SubnetMax":"10.3.255.0","SubnetLen":24,"Backend":{"Type":"udp"}}
 * ```
 */
export function networkConfigToJSON(config: NetworkConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    EnableIPv4: config.enableIPv4,
    EnableIPv6: config.enableIPv6,
    EnableNFTables: config.enableNFTables,
  };
  if (config.network !== undefined) out['Network'] = config.network.toString();
  if (config.ipv6Network !== undefined) out['IPv6Network'] = config.ipv6Network.toString();
  if (config.subnetMin !== undefined) out['SubnetMin'] = config.subnetMin.address;
  if (config.subnetMax !== undefined) out['SubnetMax'] = config.subnetMax.address;
  if (config.ipv6SubnetMin !== undefined) out['IPv6SubnetMin'] = config.ipv6SubnetMin.address;
  if (config.ipv6SubnetMax !== undefined) out['IPv6SubnetMax'] = config.ipv6SubnetMax.address;
  if (config.subnetLen !== undefined) out['SubnetLen'] = config.subnetLen;
  if (config.ipv6SubnetLen !== undefined) out['IPv6SubnetLen'] = config.ipv6SubnetLen;
  const backend: Record<string, unknown> = { Type: config.backendType };
  for (const [key, value] of Object.entries(config.backend)) {
    // A defined property, not an assignment: a `__proto__` key (a peer's config may hold one) stays a key.
    if (key.toLowerCase() !== 'type') Object.defineProperty(backend, key, { value, writable: true, enumerable: true, configurable: true });
  }
  out['Backend'] = backend;
  return out;
}
