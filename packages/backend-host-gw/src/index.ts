/**
 * `@flannel-ts/backend-host-gw`: the host-gw backend — a route per remote subnet via the remote host.
 * @packageDocumentation
 */
export { createHostGwBackend, HOST_GW_NAT_MESSAGE } from './host-gw-backend.js';
export type { HostGwBackendDependencies, HostGwBackendOptions, HostGwNetlink, HostGwReconcileReport } from './host-gw-backend.js';
export { hostGwRouteFor } from './host-gw-route-for.js';
