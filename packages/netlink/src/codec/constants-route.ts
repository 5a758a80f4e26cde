// Address, route and neighbour constants (<linux/if_addr.h>, <linux/rtnetlink.h>, <linux/neighbour.h>).

/** `ifaddrmsg` attributes (`IFA_*`). */
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_CACHEINFO = 6;
export const IFA_FLAGS = 8;
/** `ifa_flags` / `IFA_FLAGS` bits. */
export const IFA_F_SECONDARY = 0x01;
export const IFA_F_NODAD = 0x02;
export const IFA_F_PERMANENT = 0x80;

/** `rtmsg` attributes (`RTA_*`). */
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_METRICS = 8;
export const RTA_MULTIPATH = 9;
export const RTA_CACHEINFO = 12;
export const RTA_TABLE = 15;
export const RTA_PREF = 20;
/** `RTA_METRICS` nested attribute: path MTU. */
export const RTAX_MTU = 2;

/** `rtm_type` values (`RTN_*`). */
export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;

/** `rtm_scope` values (`RT_SCOPE_*`). */
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

/** Routing tables (`RT_TABLE_*`). */
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

/** `rtm_protocol` values (`RTPROT_*`). */
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;

/** `rtm_flags` bits: `RTNH_F_ONLINK` (gateway is on-link) and `RTM_F_CLONED` (cache entry). */
export const RTNH_F_ONLINK = 0x4;
export const RTM_F_CLONED = 0x200;

/** `ndmsg` attributes (`NDA_*`). */
export const NDA_DST = 1;
export const NDA_LLADDR = 2;
export const NDA_CACHEINFO = 3;
export const NDA_PROBES = 4;
export const NDA_VLAN = 5;
export const NDA_PORT = 6;
export const NDA_VNI = 7;
export const NDA_IFINDEX = 8;
export const NDA_MASTER = 9;

/** `ndm_flags` bits (`NTF_*`). */
export const NTF_USE = 0x01;
export const NTF_SELF = 0x02;
export const NTF_MASTER = 0x04;
export const NTF_PROXY = 0x08;
export const NTF_EXT_LEARNED = 0x10;

/** `ndm_state` bits (`NUD_*`). */
export const NUD_NONE = 0x00;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;
