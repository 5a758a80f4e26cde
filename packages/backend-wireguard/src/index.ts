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
export { decodeWireguardLeaseData, encodeWireguardLeaseData, wireguardConflictKeys } from './wireguard-lease-data.js';
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
export { createKernelWireguardDriver } from './kernel-driver.js';
export type { KernelWireguardDriverOptions, KernelWireguardNetlink, WireguardGenetlink } from './kernel-driver.js';
export { createAutoWireguardDriver } from './auto-driver.js';
export { decodeGetDevice, encodeGetDevice, encodeSetDevice } from './genl/wireguard-genl-codec.js';
export type { WireguardDeviceRef } from './genl/wireguard-genl-codec.js';
export { decodeSockaddr, encodeSockaddr } from './genl/sockaddr.js';
export {
  WG_CMD_GET_DEVICE,
  WG_CMD_SET_DEVICE,
  WG_GENL_NAME,
  WG_GENL_VERSION,
  WGDEVICE_F_REPLACE_PEERS,
  WGPEER_F_REMOVE_ME,
  WGPEER_F_REPLACE_ALLOWEDIPS,
} from './genl/wireguard-genl-constants.js';
export { genetlinkFromSocket, keyStoreFromNamedKeys } from './adapters.js';
export type { GenericNetlinkLike, GenericRequestLike, NamedKeyStore, ResolvedFamily } from './adapters.js';
