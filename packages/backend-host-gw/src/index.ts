/**
 * `@flannel-ts/backend-host-gw`: the host-gw backend — a route per remote subnet via the remote host.
 * @packageDocumentation
 */
export { createHostGwBackend, HOST_GW_NAT_MESSAGE } from './host-gw-backend.js';
export type { HostGwBackendDependencies, HostGwBackendOptions } from './host-gw-backend.js';
export { createHostGwNetwork } from './host-gw-network.js';
export type { HostGwFamily, HostGwNetlink, HostGwNetworkOptions, HostGwReconcileReport } from './host-gw-network.js';
export { diffHostGwChanges, hostGwRouteKey } from './host-gw-programmed.js';
export type { HostGwProgrammed } from './host-gw-programmed.js';
export { desiredHostGwRoutes, diffHostGwRoutes, ownedHostGwRoutes } from './host-gw-routes.js';
export type { HostGwDesiredRoutes, HostGwOwnership, IgnoredHostGwLease } from './host-gw-routes.js';
