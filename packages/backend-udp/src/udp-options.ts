// The udp backend's config (pkg/backend/udp/udp_amd64.go): `Port`, default 8285, the port the socket binds
// and the destination port of every peer (flannel advertises no port in the lease). Keys are matched
// case-insensitively, as Go's json.Unmarshal does. Two keys are flannel-ts's own, tuning the forwarder
// (flanneld ignores unknown keys, so a config carrying them still works there): `BatchSize` (packets per
// recvmmsg/sendmmsg, 1 = flannel's plain loop), `Threads` (1: one poll loop as flannel, 2: a thread per
// direction), `SocketBufferBytes` (SO_RCVBUF/SO_SNDBUF, 0 = the kernel default as flannel) and `Offload`
// (TUN TSO/checksum offloads with segmentation in the forwarder; the wire format is unchanged).
import { backendBooleanOption, backendIntegerOption, backendOption } from '@flannel-ts/core';
import type { NetworkConfig } from '@flannel-ts/core';

/** flannel's default udp port. */
export const UDP_DEFAULT_PORT = 8285;

/** The udp backend's options, resolved. */
export interface UdpOptions {
  /** `Backend.Port`. */
  readonly port: number;
  /** `Backend.BatchSize` (flannel-ts only), when given. */
  readonly batchSize?: number;
  /** `Backend.Threads` (flannel-ts only), when given. */
  readonly threads?: 1 | 2;
  /** `Backend.SocketBufferBytes` (flannel-ts only), when given. */
  readonly socketBufferBytes?: number;
  /** `Backend.Offload` (flannel-ts only), when given. */
  readonly offload?: boolean;
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
  const port = backendIntegerOption(config, 'Port', UDP_DEFAULT_PORT, { min: 1, max: 65535 });
  const batchSize = backendIntegerOption(config, 'BatchSize', 0, { min: 1, max: 1024 });
  const threads = backendIntegerOption(config, 'Threads', 0, { min: 1, max: 2 });
  const offload = backendOption(config, 'Offload') === undefined ? undefined : backendBooleanOption(config, 'Offload', true);
  const socketBufferBytes = backendIntegerOption(config, 'SocketBufferBytes', -1, { min: 0, max: 256 * 1024 * 1024 });
  return {
    port,
    ...(batchSize === 0 ? {} : { batchSize }),
    ...(threads === 0 ? {} : { threads: threads as 1 | 2 }),
    ...(socketBufferBytes === -1 ? {} : { socketBufferBytes }),
    ...(offload === undefined ? {} : { offload }),
  };
}
