// CONTRACT — what a backend gives the shared route network (flannel's RouteNetwork: GetRoute,
// GetV6Route, LinkIndex), per address family.
import type { IpNet, Lease } from '@flannel-ts/core';
import type { Family, Route } from '@flannel-ts/netlink';

/** The device a backend's routes of one family go through. */
export interface RouteNetworkDevice {
  /** Interface index, read at every pass (a getter when the backend can recreate the device). */
  readonly index: number;
  /**
   * The backend created the device (ipip's tunnel, wireguard's `flannel-wg`): every route through it
   * into the network is ours. False for a device others use too (host-gw's external interface): then
   * only routes with the proto mark, or via a lease's PublicIP, are ours.
   */
  readonly owned: boolean;
}

/** One address family a route network serves. */
export interface RouteNetworkFamily {
  readonly family: Family;
  /** The flannel network of this family: routes outside it are never touched. */
  readonly network: IpNet;
  /** The node's own subnet: never touched. */
  readonly ownSubnet: IpNet;
  readonly device: RouteNetworkDevice;
  /**
   * Routes wanted whatever the leases (wireguard's `<Network> dev flannel-wg`); kept by full passes and
   * removed by nothing but a full pass that no longer lists them. Index and protocol are filled in.
   */
  readonly extraRoutes?: readonly Route[];
}

/** A lease a backend refuses to route, and why (logged once per lease and reason). */
export interface RouteRefusal {
  /** The reason, naming the field and the rule: `PublicIP "x" is invalid: must be an IPv4 address`. */
  readonly refused: string;
  /** Default `warn`. */
  readonly level?: 'debug' | 'warn';
}

/**
 * The route a remote lease needs in `family` (flannel's `GetRoute`/`GetV6Route`): called only for
 * leases of the backend's type that have a subnet of that family. Return the route (its `index`
 * defaults to the family's device, its `protocol` to the mark), a {@link RouteRefusal} for unusable
 * lease data, or `undefined` when the lease needs no route in this family.
 *
 * @example
 * ```ts
 * const routeFor: RouteFor = (lease, family) => ({ family, destination: lease.subnet!.toString(), gateway: lease.attributes.publicIP });
 * ```
 */
export type RouteFor = (lease: Lease, family: Family) => Route | RouteRefusal | undefined;
