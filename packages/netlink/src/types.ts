// CONTRACT — the typed rtnetlink objects. Addresses are text (`10.5.34.0`, `fd00::1`), CIDRs are
// `address/prefix`, MACs are lower-case `aa:bb:cc:dd:ee:ff`. Kernel names are given beside each field.

/** Address family of an object: 4 (`AF_INET`) or 6 (`AF_INET6`). */
export type Family = 4 | 6;

/** VXLAN link attributes (`IFLA_INFO_DATA` of kind `vxlan`). */
export interface VxlanAttributes {
  /** `IFLA_VXLAN_ID` */
  readonly vni: number;
  /** `IFLA_VXLAN_LOCAL` / `IFLA_VXLAN_LOCAL6`: source address of encapsulated packets. */
  readonly local?: string;
  /** `IFLA_VXLAN_GROUP` / `IFLA_VXLAN_GROUP6`: multicast group or default remote. */
  readonly group?: string;
  /** `IFLA_VXLAN_LINK`: index of the underlay device. */
  readonly underlayIndex?: number;
  /** `IFLA_VXLAN_PORT` (host byte order here; big-endian on the wire). 0 or absent = kernel default (8472). */
  readonly port?: number;
  /** `IFLA_VXLAN_LEARNING` */
  readonly learning?: boolean;
  /** `IFLA_VXLAN_GBP` (flag attribute) */
  readonly gbp?: boolean;
  /** `IFLA_VXLAN_UDP_CSUM` */
  readonly udpChecksum?: boolean;
  /** `IFLA_VXLAN_TTL` */
  readonly ttl?: number;
  /** `IFLA_VXLAN_L2MISS` */
  readonly l2miss?: boolean;
  /** `IFLA_VXLAN_L3MISS` */
  readonly l3miss?: boolean;
}

/** ipip tunnel attributes (`IFLA_IPTUN_*`). */
export interface IpipAttributes {
  /** `IFLA_IPTUN_LOCAL` */
  readonly local?: string;
  /** `IFLA_IPTUN_REMOTE` */
  readonly remote?: string;
  /** `IFLA_IPTUN_TTL` */
  readonly ttl?: number;
  /** `IFLA_IPTUN_PMTUDISC` */
  readonly pmtudisc?: boolean;
}

/** What kind of link to create (`IFLA_INFO_KIND`) with its kind-specific data. */
export type LinkKindSpec =
  | { readonly kind: 'vxlan'; readonly vxlan: VxlanAttributes }
  | { readonly kind: 'bridge' }
  | { readonly kind: 'veth'; readonly peerName: string; readonly peerNetns?: NetnsRef }
  | { readonly kind: 'wireguard' }
  | { readonly kind: 'ipip'; readonly ipip: IpipAttributes }
  | { readonly kind: 'tun' };

/** A request to create a link (`ip link add`). */
export type LinkSpec = LinkKindSpec & {
  /** `IFLA_IFNAME`, at most 15 bytes (`IFNAMSIZ` − 1). */
  readonly name: string;
  /** `IFLA_MTU` */
  readonly mtu?: number;
  /** `IFLA_ADDRESS` */
  readonly hardwareAddress?: string;
  /** `IFLA_MASTER` */
  readonly masterIndex?: number;
  /** Bring the link up on creation (`IFF_UP`). */
  readonly up?: boolean;
};

/** A link as the kernel reports it (`RTM_NEWLINK`). */
export interface Link {
  /** `ifi_index` */
  readonly index: number;
  /** `IFLA_IFNAME` */
  readonly name: string;
  /** `IFLA_INFO_KIND` (`vxlan`, `bridge`, `veth`, `tun`, …); absent for plain devices (`lo`). */
  readonly kind?: string;
  /** `IFLA_MTU` */
  readonly mtu: number;
  /** `IFLA_ADDRESS` */
  readonly hardwareAddress?: string;
  /** `ifi_flags & IFF_UP` */
  readonly up: boolean;
  /** `ifi_flags` raw. */
  readonly flags: number;
  /** `IFLA_OPERSTATE` (`up`, `down`, `unknown`, …). */
  readonly operState?: string;
  /** `IFLA_MASTER` */
  readonly masterIndex?: number;
  /** `IFLA_LINK`: for veth, the peer's index. */
  readonly parentIndex?: number;
  /** Present when `kind` is `vxlan`. */
  readonly vxlan?: VxlanAttributes;
  /** Present when `kind` is `ipip`. */
  readonly ipip?: IpipAttributes;
}

/** Changes to an existing link (`ip link set`). */
export interface LinkChanges {
  readonly up?: boolean;
  readonly mtu?: number;
  readonly hardwareAddress?: string;
  readonly masterIndex?: number;
}

/** An interface address (`RTM_NEWADDR`). */
export interface Address {
  readonly family: Family;
  /** `ifa_index` */
  readonly index: number;
  /** `IFA_LOCAL` (IPv4) / `IFA_ADDRESS` (IPv6). */
  readonly address: string;
  /** `ifa_prefixlen` */
  readonly prefixLength: number;
  /** `ifa_scope`: `universe` (global), `link`, `host`. */
  readonly scope?: RouteScope;
  /** `IFA_LABEL` */
  readonly label?: string;
  /** `IFA_F_PERMANENT` is clear (a dynamic address). */
  readonly dynamic?: boolean;
}

/** `rtm_scope` names. */
export type RouteScope = 'universe' | 'site' | 'link' | 'host' | 'nowhere';

/** `rtm_type` names used by flannel-ts. */
export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit';

/** A route (`RTM_NEWROUTE`). */
export interface Route {
  readonly family: Family;
  /** `RTA_DST` + `rtm_dst_len` as a CIDR; `0.0.0.0/0` / `::/0` for the default route. */
  readonly destination: string;
  /** `RTA_GATEWAY` */
  readonly gateway?: string;
  /** `RTA_OIF` */
  readonly index?: number;
  /** `RTA_PREFSRC` */
  readonly source?: string;
  /** `rtm_scope`, default `universe` (`link` for device routes without gateway is *not* inferred). */
  readonly scope?: RouteScope;
  /** `rtm_table` / `RTA_TABLE`, default 254 (main). */
  readonly table?: number;
  /** `rtm_type`, default `unicast`. */
  readonly type?: RouteType;
  /** `RTNH_F_ONLINK` in `rtm_flags`. */
  readonly onlink?: boolean;
  /** `rtm_protocol`, default `boot` (3), as `ip route` uses. */
  readonly protocol?: number;
  /** `RTA_PRIORITY` (metric). */
  readonly priority?: number;
  /** `RTA_METRICS`/`RTAX_MTU`. */
  readonly mtu?: number;
}

/** `ndm_state` names. */
export type NeighbourState = 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent' | 'none';

/** An ARP/NDP entry (`RTM_NEWNEIGH`, family `AF_INET`/`AF_INET6`). */
export interface Neighbour {
  readonly family: Family;
  /** `ndm_ifindex` */
  readonly index: number;
  /** `NDA_DST` */
  readonly address: string;
  /** `NDA_LLADDR` */
  readonly hardwareAddress?: string;
  /** `ndm_state`, default `permanent` when writing. */
  readonly state?: NeighbourState;
}

/** A bridge/VXLAN forwarding entry (`RTM_NEWNEIGH`, family `AF_BRIDGE`). */
export interface FdbEntry {
  /** `ndm_ifindex` */
  readonly index: number;
  /** `NDA_LLADDR` */
  readonly hardwareAddress: string;
  /** `NDA_DST`: the remote VTEP for VXLAN entries. */
  readonly destination?: string;
  /** `NTF_SELF` (entry of the device itself, as flannel writes), default true when writing. */
  readonly self?: boolean;
  /** `NTF_MASTER` */
  readonly master?: boolean;
  /** `ndm_state`, default `permanent` when writing. */
  readonly state?: NeighbourState;
  /** `NDA_VNI` */
  readonly vni?: number;
  /** `NDA_PORT` */
  readonly port?: number;
}

/** A network namespace: a name under `/run/netns` or a path (`/proc/123/ns/net`). */
export type NetnsRef = { readonly name: string } | { readonly path: string } | { readonly fd: number };
