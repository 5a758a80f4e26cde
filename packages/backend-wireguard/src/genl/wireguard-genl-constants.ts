// The kernel WireGuard generic netlink API (include/uapi/linux/wireguard.h): family "wireguard",
// version 1; numbers as the header defines them, names kept.

/** `WG_GENL_NAME` */
export const WG_GENL_NAME = 'wireguard';
/** `WG_GENL_VERSION` */
export const WG_GENL_VERSION = 1;

/** `enum wg_cmd` */
export const WG_CMD_GET_DEVICE = 0;
export const WG_CMD_SET_DEVICE = 1;

/** `enum wgdevice_flag` */
export const WGDEVICE_F_REPLACE_PEERS = 1 << 0;

/** `enum wgdevice_attribute` */
export const WGDEVICE_A_IFINDEX = 1;
export const WGDEVICE_A_IFNAME = 2;
export const WGDEVICE_A_PRIVATE_KEY = 3;
export const WGDEVICE_A_PUBLIC_KEY = 4;
export const WGDEVICE_A_FLAGS = 5;
export const WGDEVICE_A_LISTEN_PORT = 6;
export const WGDEVICE_A_FWMARK = 7;
export const WGDEVICE_A_PEERS = 8;

/** `enum wgpeer_flag` */
export const WGPEER_F_REMOVE_ME = 1 << 0;
export const WGPEER_F_REPLACE_ALLOWEDIPS = 1 << 1;
export const WGPEER_F_UPDATE_ONLY = 1 << 2;

/** `enum wgpeer_attribute` */
export const WGPEER_A_PUBLIC_KEY = 1;
export const WGPEER_A_PRESHARED_KEY = 2;
export const WGPEER_A_FLAGS = 3;
export const WGPEER_A_ENDPOINT = 4;
export const WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL = 5;
export const WGPEER_A_LAST_HANDSHAKE_TIME = 6;
export const WGPEER_A_RX_BYTES = 7;
export const WGPEER_A_TX_BYTES = 8;
export const WGPEER_A_ALLOWEDIPS = 9;
export const WGPEER_A_PROTOCOL_VERSION = 10;

/** `enum wgallowedip_attribute` */
export const WGALLOWEDIP_A_FAMILY = 1;
export const WGALLOWEDIP_A_IPADDR = 2;
export const WGALLOWEDIP_A_CIDR_MASK = 3;
export const WGALLOWEDIP_A_FLAGS = 4;

/** `AF_INET`, `AF_INET6` */
export const AF_INET = 2;
export const AF_INET6 = 10;

/** Netlink message flags (`linux/netlink.h`). */
export const NLM_F_REQUEST = 0x1;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;

/** Size of `struct genlmsghdr` (cmd u8, version u8, reserved u16). */
export const GENL_HEADER_LENGTH = 4;
