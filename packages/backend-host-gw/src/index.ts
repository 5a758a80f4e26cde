/** The host-gw backend: a route per remote subnet via the remote host. */
export {};
