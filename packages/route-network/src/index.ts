/**
 * `@flannel-ts/route-network`: the route network flannel-ts backends share (flannel's `RouteNetwork`).
 * A backend gives `routeFor(lease, family)` and its device; the network reconciles one route per remote
 * lease and owns only routes that are provably its own (`proto 70`, its device, a lease's PublicIP).
 * @packageDocumentation
 */
export { createRouteNetwork } from './route-network.js';
export type { RouteNetworkOptions } from './route-network.js';
export { createRouteReconciler } from './route-reconciler.js';
export type { RouteNetworkNetlink, RouteReconciler, RouteReconcilerOptions, RouteReconcileReport } from './route-reconciler.js';
export type { RouteFor, RouteNetworkDevice, RouteNetworkFamily, RouteRefusal } from './route-network-types.js';
export { isOwnedRoute, ownedRoutes } from './route-ownership.js';
export type { RouteOwnership } from './route-ownership.js';
export { diffRouteChanges, diffRoutes, routeMatches } from './route-diff.js';
export { routeAddressKey, routeDestinationKey, tryParseNet } from './route-keys.js';
export { FLANNEL_ROUTE_PROTOCOL } from './route-protocol.js';
export { OnceLog } from './once-log.js';
export { KernelJournal } from './kernel-journal.js';
export { CHANGE_SUMMARY_INTERVAL_MS, ChangeSummary } from './change-summary.js';
export type { ChangeSummaryOptions } from './change-summary.js';
