// CONTRACT — what the wireguard backend asks of a WireGuard implementation. Two drivers implement it:
// the kernel module (rtnetlink link kind "wireguard" + generic netlink WG_CMD_SET_DEVICE/GET_DEVICE,
// what flannel does through wgctrl) and wireguard-go (a TUN device plus its UAPI socket). The backend's
// lease, MTU, addresses, routes and peers are the same under both.
import type { WireguardPublicKey, WireguardSecretKey } from './wireguard-key.js';

/** One peer to add, update or remove (wgtypes.PeerConfig). */
export interface WireguardPeerConfig {
  readonly publicKey: WireguardPublicKey;
  /** Remove this peer (nothing else is sent). */
  readonly remove?: boolean;
  readonly presharedKey?: WireguardSecretKey;
  /** `host:port`, `[v6]:port`. */
  readonly endpoint?: string;
  /** Seconds; 0 turns it off. */
  readonly persistentKeepaliveInterval?: number;
  /** Replace the peer's allowed IPs with `allowedIPs` instead of adding to them. */
  readonly replaceAllowedIPs?: boolean;
  /** CIDRs. */
  readonly allowedIPs?: readonly string[];
}

/** A device configuration change (wgtypes.Config). */
export interface WireguardDeviceConfig {
  readonly privateKey?: WireguardSecretKey;
  readonly listenPort?: number;
  /** Remove every peer not in `peers`. */
  readonly replacePeers?: boolean;
  readonly peers?: readonly WireguardPeerConfig[];
}

/** A peer as the device reports it. */
export interface WireguardPeerState {
  readonly publicKey: string;
  readonly hasPresharedKey: boolean;
  readonly endpoint?: string;
  readonly persistentKeepaliveInterval: number;
  readonly allowedIPs: readonly string[];
  /** Seconds since the epoch, 0 when there was none. */
  readonly lastHandshakeTime: number;
  readonly rxBytes: number;
  readonly txBytes: number;
}

/** The device as it reports itself (never its private key). */
export interface WireguardDeviceState {
  readonly publicKey?: string;
  readonly listenPort: number;
  readonly peers: readonly WireguardPeerState[];
}

/** A WireGuard device this node created. */
export interface WireguardDevice {
  readonly name: string;
  /** Interface index. */
  readonly index: number;
  /** `wg set` */
  configure(config: WireguardDeviceConfig): Promise<void>;
  /** `wg show` */
  read(): Promise<WireguardDeviceState>;
  /** `ip link del`, and stops what ran it (wireguard-go). Idempotent. */
  remove(): Promise<void>;
}

/** Creates devices of one implementation. */
export interface WireguardDriver {
  /** `kernel` or `wireguard-go`. */
  readonly kind: string;
  /**
   * Creates device `name` with `mtu`, link down. A link of that name already there is deleted first
   * (flannel: "already exists; recreating device"). Rejects `BACKEND_UNSUPPORTED` when this
   * implementation is not available here (no kernel module, no wireguard-go).
   */
  createDevice(name: string, mtu: number, signal?: AbortSignal): Promise<WireguardDevice>;
  /**
   * Optional: closes the driver's connections (the kernel driver's generic netlink socket); devices stay.
   * A later `createDevice` or device call opens them again. Idempotent.
   */
  close?(): Promise<void>;
}
