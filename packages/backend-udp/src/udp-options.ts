// The udp backend's config (pkg/backend/udp/udp_amd64.go): `Port`, default 8285, the port the socket binds
// and the destination port of every peer (flannel advertises no port in the lease). Keys are matched
// case-insensitively, as Go's json.Unmarshal does.
import { backendIntegerOption } from '@flannel-ts/core';
import type { NetworkConfig } from '@flannel-ts/core';

/** flannel's default udp port. */
export const UDP_DEFAULT_PORT = 8285;

/** The udp backend's options, resolved. */
export interface UdpOptions {
  /** `Backend.Port`. */
  readonly port: number;
}

/**
 * Reads the `Backend` section of a network config. Throws `CONFIG_INVALID` naming the option and the rule.
 *
 * @example
 * ```ts
 * parseUdpOptions({ backend: { Type: 'udp', Port: 9000 } }).port; // 9000
 * parseUdpOptions({ backend: {} }).port; // 8285
 * ```
 */
export function parseUdpOptions(config: Pick<NetworkConfig, 'backend'>): UdpOptions {
  return { port: backendIntegerOption(config, 'Port', UDP_DEFAULT_PORT, { min: 1, max: 65535 }) };
}
