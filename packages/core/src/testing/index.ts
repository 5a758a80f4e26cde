/** Test doubles for @flannel-ts/core. */
export {};
