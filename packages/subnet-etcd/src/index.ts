/** The etcd v3 subnet lease manager, wire-compatible with flannel. */
export {};
