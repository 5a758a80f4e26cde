// Reconcile, don't replay: leases → desiredHostGwRoutes → diffHostGwRoutes(desired, owned actual) → batch.
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import type { Family, NetlinkOperation, Route } from '@flannel-ts/netlink';

/** A lease that yields no route, and why. */
export interface IgnoredHostGwLease {
  readonly lease: Lease;
  readonly reason: string;
  /** `warn` for another backend type (as flannel's `RouteNetwork` logs it) and bad data; `debug` otherwise. */
  readonly level: 'debug' | 'warn';
}

/** The routes host-gw wants for one address family. */
export interface HostGwDesiredRoutes {
  /** One per usable lease, ordered by subnet: `<remote subnet> via <remote PublicIP> dev <external>`. */
  readonly routes: readonly Route[];
  readonly ignored: readonly IgnoredHostGwLease[];
}

/**
 * A route per remote host-gw lease of `family`: `<subnet> via <PublicIP> dev <external interface>`
 * (`pkg/backend/hostgw/hostgw.go`). Pass remote leases only.
 *
 * @example
 * ```ts
 * desiredHostGwRoutes(leases, { family: 4, externalIndex: 2 }).routes[0];
 * // { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 }
 * ```
 */
export function desiredHostGwRoutes(
  leases: Iterable<Lease>,
  target: { readonly family: Family; readonly externalIndex: number },
): HostGwDesiredRoutes {
  const routes: Array<{ net: IpNet; route: Route }> = [];
  const ignored: IgnoredHostGwLease[] = [];
  const v6 = target.family === 6;
  for (const lease of leases) {
    const { attributes } = lease;
    if (attributes.backendType !== 'host-gw') {
      ignored.push({ lease, level: 'warn', reason: `BackendType ${JSON.stringify(attributes.backendType ?? '')} is not host-gw` });
      continue;
    }
    const subnet = v6 ? lease.ipv6Subnet : lease.subnet;
    if (subnet === undefined || subnet.family !== target.family) {
      ignored.push({ lease, level: 'debug', reason: `no IPv${target.family} subnet` });
      continue;
    }
    const raw = v6 ? attributes.publicIPv6 : attributes.publicIP;
    const gateway = canonical(raw, target.family);
    if (gateway === undefined) {
      ignored.push({ lease, level: 'warn', reason: `${v6 ? 'PublicIPv6' : 'PublicIP'} ${JSON.stringify(raw ?? null)} is invalid: must be an IPv${target.family} address` });
      continue;
    }
    routes.push({ net: subnet, route: { family: target.family, destination: subnet.toString(), gateway, index: target.externalIndex } });
  }
  routes.sort((a, b) => IpNet.compare(a.net, b.net));
  return { routes: routes.map((entry) => entry.route), ignored };
}

/** Which kernel routes host-gw may replace or delete. */
export interface HostGwOwnership {
  readonly family: Family;
  readonly externalIndex: number;
  /** The flannel network of this family. */
  readonly network: IpNet;
  /** The lease prefix length (`SubnetLen`). */
  readonly subnetLength: number;
  /** The node's own subnet, never touched. */
  readonly ownSubnet?: IpNet;
}

/**
 * Narrows a route listing to host-gw's own routes: main-table unicast routes with a gateway through
 * the external interface to a subnet-sized network inside the flannel network, other than the node's
 * own subnet.
 */
export function ownedHostGwRoutes(routes: readonly Route[], ownership: HostGwOwnership): Route[] {
  return routes.filter((route) => {
    if (route.family !== ownership.family || route.gateway === undefined || route.index !== ownership.externalIndex) return false;
    if ((route.table ?? 254) !== 254 || (route.type ?? 'unicast') !== 'unicast') return false;
    const destination = tryParseNet(route.destination);
    return (
      destination !== undefined &&
      destination.prefixLength === ownership.subnetLength &&
      ownership.network.contains(destination) &&
      !destination.equals(ownership.ownSubnet)
    );
  });
}

/**
 * The operations that make the owned routes equal the desired ones: stale routes deleted first, then
 * missing or different routes replaced (flannel's "Replacing existing route" when gateway or device differ).
 *
 * @example
 * ```ts
 * await netlink.batch(diffHostGwRoutes(desired.routes, ownedHostGwRoutes(await netlink.listRoutes({ family: 4 }), ownership)));
 * ```
 */
export function diffHostGwRoutes(desired: readonly Route[], actual: readonly Route[]): NetlinkOperation[] {
  const current = new Map(actual.map((route) => [destinationKey(route.destination), route]));
  const wanted = new Set<string>();
  const replace: NetlinkOperation[] = [];
  for (const route of desired) {
    const k = destinationKey(route.destination);
    wanted.add(k);
    const have = current.get(k);
    const same = have !== undefined && addressKey(have.gateway) === addressKey(route.gateway) && have.index === route.index;
    if (!same) replace.push({ op: 'replaceRoute', route });
  }
  const stale = [...current].filter(([k]) => !wanted.has(k)).map(([, route]): NetlinkOperation => ({ op: 'deleteRoute', route }));
  return [...stale, ...replace];
}

function canonical(text: string | undefined, family: Family): string | undefined {
  if (text === undefined) return undefined;
  try {
    const address = IpNet.canonicalAddress(text, family);
    return address === '0.0.0.0' || address === '::' ? undefined : address;
  } catch {
    return undefined;
  }
}

function addressKey(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return IpNet.canonicalAddress(text);
  } catch {
    return text;
  }
}

function destinationKey(destination: string): string {
  return tryParseNet(destination)?.toString() ?? destination;
}

function tryParseNet(text: string): IpNet | undefined {
  try {
    return IpNet.parse(text);
  } catch {
    return undefined;
  }
}
