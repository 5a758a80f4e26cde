/** A simulated multi-host cluster on one machine: network namespaces, an underlay bridge and real etcd. */
export {};
