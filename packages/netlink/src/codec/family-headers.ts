// The fixed family headers that follow nlmsghdr in rtnetlink messages.
import { structCodec } from './codec.js';

/** `struct ifinfomsg` (16 bytes), the header of `RTM_*LINK`. */
export interface InterfaceInfoHeader {
  /** `ifi_family` */
  family: number;
  /** `ifi_type`: `ARPHRD_*`. */
  type: number;
  /** `ifi_index` (0 = look up by name or let the kernel choose). */
  index: number;
  /** `ifi_flags`: `IFF_*`. */
  flags: number;
  /** `ifi_change`: which `ifi_flags` bits to change. */
  change: number;
}

/** Codec of `struct ifinfomsg`. */
export const interfaceInfoHeader = structCodec<InterfaceInfoHeader>('ifinfomsg', [
  { name: 'family', size: 1 },
  { name: '_pad', size: 1 },
  { name: 'type', size: 2 },
  { name: 'index', size: 4, signed: true },
  { name: 'flags', size: 4 },
  { name: 'change', size: 4 },
]);

/** `struct ifaddrmsg` (8 bytes), the header of `RTM_*ADDR`. */
export interface AddressHeader {
  /** `ifa_family` */
  family: number;
  /** `ifa_prefixlen` */
  prefixLength: number;
  /** `ifa_flags` (8 bits; `IFA_FLAGS` carries all 32). */
  flags: number;
  /** `ifa_scope`: `RT_SCOPE_*`. */
  scope: number;
  /** `ifa_index` */
  index: number;
}

/** Codec of `struct ifaddrmsg`. */
export const addressHeader = structCodec<AddressHeader>('ifaddrmsg', [
  { name: 'family', size: 1 },
  { name: 'prefixLength', size: 1 },
  { name: 'flags', size: 1 },
  { name: 'scope', size: 1 },
  { name: 'index', size: 4 },
]);

/** `struct rtmsg` (12 bytes), the header of `RTM_*ROUTE`. */
export interface RouteHeader {
  /** `rtm_family` */
  family: number;
  /** `rtm_dst_len` */
  destinationLength: number;
  /** `rtm_src_len` */
  sourceLength: number;
  /** `rtm_tos` */
  tos: number;
  /** `rtm_table` (8 bits; `RTA_TABLE` carries all 32). */
  table: number;
  /** `rtm_protocol`: `RTPROT_*`. */
  protocol: number;
  /** `rtm_scope`: `RT_SCOPE_*`. */
  scope: number;
  /** `rtm_type`: `RTN_*`. */
  type: number;
  /** `rtm_flags`: `RTNH_F_*` / `RTM_F_*`. */
  flags: number;
}

/** Codec of `struct rtmsg`. */
export const routeHeader = structCodec<RouteHeader>('rtmsg', [
  { name: 'family', size: 1 },
  { name: 'destinationLength', size: 1 },
  { name: 'sourceLength', size: 1 },
  { name: 'tos', size: 1 },
  { name: 'table', size: 1 },
  { name: 'protocol', size: 1 },
  { name: 'scope', size: 1 },
  { name: 'type', size: 1 },
  { name: 'flags', size: 4 },
]);

/** `struct ndmsg` (12 bytes), the header of `RTM_*NEIGH`. */
export interface NeighbourHeader {
  /** `ndm_family`: `AF_INET`, `AF_INET6` or `AF_BRIDGE` (FDB). */
  family: number;
  /** `ndm_ifindex` */
  index: number;
  /** `ndm_state`: `NUD_*`. */
  state: number;
  /** `ndm_flags`: `NTF_*`. */
  flags: number;
  /** `ndm_type`: `RTN_*`. */
  type: number;
}

/** Codec of `struct ndmsg`. */
export const neighbourHeader = structCodec<NeighbourHeader>('ndmsg', [
  { name: 'family', size: 1 },
  { name: '_pad1', size: 1 },
  { name: '_pad2', size: 2 },
  { name: 'index', size: 4, signed: true },
  { name: 'state', size: 2 },
  { name: 'flags', size: 1 },
  { name: 'type', size: 1 },
]);
