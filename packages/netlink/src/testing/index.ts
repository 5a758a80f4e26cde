/** Test doubles for @flannel-ts/netlink. */
export {};
