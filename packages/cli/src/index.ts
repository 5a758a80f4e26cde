/** The flannel-ts daemon and command line: a drop-in flanneld. */
export {};
