/** The vxlan backend: flannel.<VNI> devices and per-host neighbour, FDB and route entries. */
export {};
