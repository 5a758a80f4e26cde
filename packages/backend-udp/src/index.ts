export { createUdpBackend, UDP_DEFAULT_BATCH_SIZE, UDP_DEFAULT_SOCKET_BUFFER_BYTES, UDP_OVERHEAD_BYTES, UDP_TUN_NAME_TEMPLATE } from './udp-backend.js';
export type { UdpBackendOptions } from './udp-backend.js';
export { parseUdpOptions, UDP_DEFAULT_PORT } from './udp-options.js';
export type { UdpOptions } from './udp-options.js';
export type {
  Forwarder,
  ForwarderOptions,
  ForwarderStarter,
  ForwarderStats,
  TunDevice,
  TunOpener,
  UdpSocketHandle,
  UdpSocketOpener,
} from './udp-boundaries.js';
export type { UdpNetlink, UdpDeviceSettings } from './udp-device.js';
export { configureUdpDevice } from './udp-device.js';
export type { UdpRoutesReport } from './udp-network.js';
export { UdpRouteTable, prefixMask } from './udp-route-table.js';
export type { UdpRoute } from './udp-route-table.js';
export { udpLeaseRoute, udpRouteKey } from './udp-lease-routes.js';
export type { UdpLeaseRoute } from './udp-lease-routes.js';
export { decrementTtl, internetChecksum, ipv4Destination } from './ipv4-packet.js';
export { netUnreachable, NET_UNREACHABLE_MAX_BYTES } from './icmp-net-unreachable.js';
export { decideTunPacket, decideUdpPacket, DROP } from './packet-decisions.js';
export { openKernelTun } from './kernel-tun.js';
export { openKernelUdpSocket } from './kernel-udp-socket.js';
export { startWorkerForwarder } from './worker-forwarder.js';
