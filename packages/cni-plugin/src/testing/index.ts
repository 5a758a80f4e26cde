/** Test doubles for @flannel-ts/cni-plugin. */
export {};
