// Kernel constants of the netlink layer itself (<linux/netlink.h>, <linux/rtnetlink.h>), under their kernel names.

/** `AF_*` address families used on the wire. */
export const AF_UNSPEC = 0;
/** IPv4 (`AF_INET`). */
export const AF_INET = 2;
/** Bridge FDB entries (`AF_BRIDGE`). */
export const AF_BRIDGE = 7;
/** IPv6 (`AF_INET6`). */
export const AF_INET6 = 10;
/** The netlink socket family (`AF_NETLINK`). */
export const AF_NETLINK = 16;
/** The routing netlink protocol (`NETLINK_ROUTE`). */
export const NETLINK_ROUTE = 0;
/** IPsec transforms and policies (`NETLINK_XFRM`): `XFRM_MSG_*` over the same framing. */
export const NETLINK_XFRM = 6;
/** Generic netlink (`NETLINK_GENERIC`): families such as `wireguard`, `ethtool`, resolved by name at run time. */
export const NETLINK_GENERIC = 16;

/** Control message types (`NLMSG_*`). */
export const NLMSG_NOOP = 1;
/** An error or an ACK (`error == 0`). */
export const NLMSG_ERROR = 2;
/** End of a multipart dump. */
export const NLMSG_DONE = 3;
/** Data lost. */
export const NLMSG_OVERRUN = 4;

/** `nlmsghdr.nlmsg_flags` bits (`NLM_F_*`). */
export const NLM_F_REQUEST = 0x1;
/** Part of a multipart message (dump). */
export const NLM_F_MULTI = 0x2;
/** Ask for an ACK. */
export const NLM_F_ACK = 0x4;
/** Echo the request to the sender. */
export const NLM_F_ECHO = 0x8;
/** The dump was inconsistent because the table changed while it ran. */
export const NLM_F_DUMP_INTR = 0x10;
/** The dump was filtered as requested. */
export const NLM_F_DUMP_FILTERED = 0x20;
/** GET: return the complete table. */
export const NLM_F_ROOT = 0x100;
/** GET: return every matching entry. */
export const NLM_F_MATCH = 0x200;
/** `NLM_F_ROOT | NLM_F_MATCH` */
export const NLM_F_DUMP = 0x300;
/** GET: return an atomic snapshot of the table (same bit as `NLM_F_CREATE`). */
export const NLM_F_ATOMIC = 0x400;
/** NEW: replace an existing object. */
export const NLM_F_REPLACE = 0x100;
/** NEW: fail if the object exists. */
export const NLM_F_EXCL = 0x200;
/** NEW: create if it does not exist. */
export const NLM_F_CREATE = 0x400;
/** NEW: append to the end of the list. */
export const NLM_F_APPEND = 0x800;
/** ACK flag: the request payload was left out of the error (`NETLINK_CAP_ACK`). */
export const NLM_F_CAPPED = 0x100;
/** ACK flag: extended-ack TLVs follow. */
export const NLM_F_ACK_TLVS = 0x200;

/** Extended-ack attribute types (`NLMSGERR_ATTR_*`). */
export const NLMSGERR_ATTR_MSG = 1;
/** Offset of the offending attribute in the request. */
export const NLMSGERR_ATTR_OFFS = 2;
/** Opaque cookie. */
export const NLMSGERR_ATTR_COOKIE = 3;
/** Policy of the rejected attribute. */
export const NLMSGERR_ATTR_POLICY = 4;
/** Type of a missing attribute. */
export const NLMSGERR_ATTR_MISS_TYPE = 5;
/** Offset of the nest that misses an attribute. */
export const NLMSGERR_ATTR_MISS_NEST = 6;

/** Attribute type bit: the payload is nested attributes. */
export const NLA_F_NESTED = 0x8000;
/** Attribute type bit: the payload is in network byte order. */
export const NLA_F_NET_BYTEORDER = 0x4000;
/** Mask of the attribute type proper. */
export const NLA_TYPE_MASK = 0x3fff;

/** Socket option level and options (`SOL_NETLINK`, `NETLINK_*`). */
export const SOL_NETLINK = 270;
/** Join a multicast group. */
export const NETLINK_ADD_MEMBERSHIP = 1;
/** Leave a multicast group. */
export const NETLINK_DROP_MEMBERSHIP = 2;
/** Do not echo the request inside error messages. */
export const NETLINK_CAP_ACK = 10;
/** Ask for extended ACK messages. */
export const NETLINK_EXT_ACK = 11;
/** `SOL_SOCKET` and buffer options. */
export const SOL_SOCKET = 1;
/** Send buffer size. */
export const SO_SNDBUF = 7;
/** Receive buffer size. */
export const SO_RCVBUF = 8;
/** Send buffer size, above `wmem_max` (needs `CAP_NET_ADMIN`). */
export const SO_SNDBUFFORCE = 32;
/** Receive buffer size, above `rmem_max` (needs `CAP_NET_ADMIN`). */
export const SO_RCVBUFFORCE = 33;

/** rtnetlink message types (`RTM_*`). */
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_SETLINK = 19;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWNEIGH = 28;
export const RTM_DELNEIGH = 29;
export const RTM_GETNEIGH = 30;

/** rtnetlink multicast groups (`RTNLGRP_*`), joined by number with `NETLINK_ADD_MEMBERSHIP`. */
export const RTNLGRP_LINK = 1;
export const RTNLGRP_NEIGH = 3;
export const RTNLGRP_IPV4_IFADDR = 5;
export const RTNLGRP_IPV4_ROUTE = 7;
export const RTNLGRP_IPV6_IFADDR = 9;
export const RTNLGRP_IPV6_ROUTE = 11;

/** Kernel names of the `RTM_*` and `NLMSG_*` types, for messages and errors. */
export const MESSAGE_TYPE_NAMES: Readonly<Record<number, string>> = {
  [NLMSG_NOOP]: 'NLMSG_NOOP',
  [NLMSG_ERROR]: 'NLMSG_ERROR',
  [NLMSG_DONE]: 'NLMSG_DONE',
  [NLMSG_OVERRUN]: 'NLMSG_OVERRUN',
  [RTM_NEWLINK]: 'RTM_NEWLINK',
  [RTM_DELLINK]: 'RTM_DELLINK',
  [RTM_GETLINK]: 'RTM_GETLINK',
  [RTM_SETLINK]: 'RTM_SETLINK',
  [RTM_NEWADDR]: 'RTM_NEWADDR',
  [RTM_DELADDR]: 'RTM_DELADDR',
  [RTM_GETADDR]: 'RTM_GETADDR',
  [RTM_NEWROUTE]: 'RTM_NEWROUTE',
  [RTM_DELROUTE]: 'RTM_DELROUTE',
  [RTM_GETROUTE]: 'RTM_GETROUTE',
  [RTM_NEWNEIGH]: 'RTM_NEWNEIGH',
  [RTM_DELNEIGH]: 'RTM_DELNEIGH',
  [RTM_GETNEIGH]: 'RTM_GETNEIGH',
};
