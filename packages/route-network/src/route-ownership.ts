// Own only what you created: which kernel routes a backend may replace or delete. A route listed by the
// kernel is ours when it goes through our device, into our network, and is provably ours: on a device
// the backend created, or carrying our proto mark, or via the PublicIP of a lease we route.
import type { IpNet } from '@flannel-ts/core';
import type { Family, Route } from '@flannel-ts/netlink';
import { FLANNEL_ROUTE_PROTOCOL } from './route-protocol.js';
import { routeAddressKey, tryParseNet } from './route-keys.js';

/** What tells a backend's routes from everyone else's, for one address family. */
export interface RouteOwnership {
  readonly family: Family;
  /** The interface the backend's routes go through. */
  readonly index: number;
  /**
   * The backend created this device (vxlan's `flannel.1`, ipip's `flannel.ipip`, wireguard's
   * `flannel-wg`): every main-table route through it into the network is ours. False for a device
   * others use too (host-gw's and DirectRouting's external interface).
   */
  readonly deviceOwned: boolean;
  /** The flannel network of this family: routes outside it are never ours. */
  readonly network: IpNet;
  /** The node's own subnet: never ours to touch. */
  readonly ownSubnet?: IpNet;
  /** The mark on the routes the backend programs; default {@link FLANNEL_ROUTE_PROTOCOL}. */
  readonly protocol?: number;
  /**
   * Canonical PublicIPs of the leases the backend routes now: a route via one of them on a shared device
   * is ours even without the mark (written by flanneld or an older flannel-ts, `proto boot`).
   */
  readonly knownGateways?: ReadonlySet<string>;
}

/**
 * Whether `route` is the backend's to replace or delete: main table, unicast, this family and device,
 * destination inside the network and not the node's own subnet, and then either on a device the backend
 * owns, or marked with its protocol, or via a known lease's PublicIP. An operator's
 * `ip route add 10.5.1.0/24 via <underlay gateway> dev eth0` (proto boot or static) is none of these.
 *
 * @example
 * ```ts
 * isOwnedRoute({ family: 4, destination: '10.5.1.0/24', gateway: '192.168.77.1', index: 2, protocol: 4 }, ownership); // false
 * ```
 */
export function isOwnedRoute(route: Route, ownership: RouteOwnership): boolean {
  if (route.family !== ownership.family || route.index !== ownership.index) return false;
  if ((route.table ?? 254) !== 254 || (route.type ?? 'unicast') !== 'unicast') return false;
  const destination = tryParseNet(route.destination);
  if (destination === undefined || !ownership.network.contains(destination) || destination.equals(ownership.ownSubnet)) return false;
  if (ownership.deviceOwned) return true;
  if (route.protocol === (ownership.protocol ?? FLANNEL_ROUTE_PROTOCOL)) return true;
  return route.gateway !== undefined && ownership.knownGateways?.has(routeAddressKey(route.gateway)) === true;
}

/**
 * Narrows a route listing to the backend's own routes ({@link isOwnedRoute}).
 *
 * @example
 * ```ts
 * const actual = ownedRoutes(await netlink.listRoutes({ family: 4 }), ownership);
 * ```
 */
export function ownedRoutes(routes: readonly Route[], ownership: RouteOwnership): Route[] {
  return routes.filter((route) => isOwnedRoute(route, ownership));
}
