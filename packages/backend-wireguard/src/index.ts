/**
 * `@flannel-ts/backend-wireguard`: the wireguard backend — an encrypted overlay over kernel WireGuard or
 * wireguard-go, wire-compatible with flannel's.
 * @packageDocumentation
 */
export { createWireguardBackend, WIREGUARD_OVERHEAD } from './wireguard-backend.js';
export type { WireguardBackendOptions, WireguardNetlink } from './wireguard-backend.js';
export { createWireguardNetwork } from './wireguard-network.js';
export type { WireguardBatchReport, WireguardNetworkNetlink, WireguardNetworkOptions } from './wireguard-network.js';
export { isPrivateIPv4, isPrivateIPv6, wireguardLeasePeers } from './wireguard-peers.js';
export type { DesiredWireguardPeer, WireguardDeviceRole, WireguardLeasePeers, WireguardLocal } from './wireguard-peers.js';
export { parseWireguardOptions } from './wireguard-options.js';
export type { WireguardMode, WireguardOptions } from './wireguard-options.js';
export { decodeWireguardLeaseData, encodeWireguardLeaseData } from './wireguard-lease-data.js';
export type { DecodedWireguardLeaseData, WireguardLeaseData } from './wireguard-lease-data.js';
export { decodeKeyBase64, WIREGUARD_KEY_LENGTH, WireguardPublicKey, WireguardSecretKey } from './wireguard-key.js';
export { createFileKeyStore, DEFAULT_KEY_FILE, keyFilePath } from './key-store.js';
export type { WireguardKeyStore } from './key-store.js';
export type {
  WireguardDevice,
  WireguardDeviceConfig,
  WireguardDeviceState,
  WireguardDriver,
  WireguardPeerConfig,
  WireguardPeerState,
} from './wireguard-device.js';
export { createWireguardGoDriver } from './wireguard-go-driver.js';
export type { WireguardGoDriverOptions, WireguardGoNetlink } from './wireguard-go-driver.js';
export { decodeUapiErrno, decodeUapiGet, encodeUapiSet, UAPI_GET } from './uapi-codec.js';
export { uapiRequest } from './uapi-client.js';
export type { UapiTransport } from './uapi-client.js';
