// Kernel constants of generic netlink and its controller (<linux/genetlink.h>), under their kernel names.

/** Size of `struct genlmsghdr` (`GENL_HDRLEN`). */
export const GENL_HDRLEN = 4;
/** The controller family's fixed id (`GENL_ID_CTRL`): the one family known without a lookup. */
export const GENL_ID_CTRL = 0x10;
/** Controller version sent in requests (the kernel's `nlctrl` family is version 2 and accepts 1). */
export const GENL_CTRL_VERSION = 1;

/** Controller commands (`CTRL_CMD_*`). */
export const CTRL_CMD_NEWFAMILY = 1;
/** Resolve a family by name (or id); the answer is a `CTRL_CMD_NEWFAMILY`. */
export const CTRL_CMD_GETFAMILY = 3;

/** Controller attributes (`CTRL_ATTR_*`). */
export const CTRL_ATTR_FAMILY_ID = 1;
/** NUL-terminated family name. */
export const CTRL_ATTR_FAMILY_NAME = 2;
/** u32 family version. */
export const CTRL_ATTR_VERSION = 3;
/** u32 size of the family's own header after `genlmsghdr`. */
export const CTRL_ATTR_HDRSIZE = 4;
/** u32 highest attribute type the family accepts. */
export const CTRL_ATTR_MAXATTR = 5;
/** Nested list of the family's operations. */
export const CTRL_ATTR_OPS = 6;
/** Nested list of the family's multicast groups. */
export const CTRL_ATTR_MCAST_GROUPS = 7;

/** Attributes of one multicast group (`CTRL_ATTR_MCAST_GRP_*`). */
export const CTRL_ATTR_MCAST_GRP_NAME = 1;
/** u32 group number to join. */
export const CTRL_ATTR_MCAST_GRP_ID = 2;
