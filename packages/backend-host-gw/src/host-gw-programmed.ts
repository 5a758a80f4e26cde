// The incremental fast path of host-gw: the routes a network believes it has programmed for one family
// (seeded by a full pass: list + diff), and the operations for just the subnets a lease event touched,
// taken against that model instead of a fresh route dump.
import type { Lease } from '@flannel-ts/core';
import type { Family, NetlinkOperation, Route } from '@flannel-ts/netlink';

/** The routes a host-gw network believes it has programmed for one family, keyed by destination (`Route.destination`). */
export type HostGwProgrammed = Map<string, Route>;

/**
 * The key a lease's route of `family` is filed under: its subnet of that family as text (the same text
 * as the desired route's `destination`), or `undefined` when the lease has none.
 *
 * @example
 * ```ts
 * hostGwRouteKey(lease, 4); // '10.5.34.0/24'
 * ```
 */
export function hostGwRouteKey(lease: Lease, family: Family): string | undefined {
  return (family === 6 ? lease.ipv6Subnet : lease.subnet)?.toString();
}

/**
 * The operations for the `subnets` a lease event touched, against the programmed model instead of the
 * kernel: a programmed route whose subnet no longer wants one is deleted, a wanted route that is missing
 * or differs (gateway, interface) is replaced. `desired` must hold the routes of those subnets only
 * (`desiredHostGwRoutes` over their current leases). Deletions come first, as in `diffHostGwRoutes`.
 *
 * @example
 * ```ts
 * const desired = desiredHostGwRoutes([joined], { family: 4, externalIndex: 2 });
 * await netlink.batch(diffHostGwChanges(desired.routes, programmed, ['10.5.34.0/24']));
 * // [{ op: 'replaceRoute', route: { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 } }]
 * ```
 */
export function diffHostGwChanges(desired: readonly Route[], programmed: ReadonlyMap<string, Route>, subnets: Iterable<string>): NetlinkOperation[] {
  const wanted = new Map(desired.map((route) => [route.destination, route]));
  const stale: NetlinkOperation[] = [];
  const replace: NetlinkOperation[] = [];
  for (const subnet of new Set(subnets)) {
    const have = programmed.get(subnet);
    const want = wanted.get(subnet);
    if (want === undefined) {
      if (have !== undefined) stale.push({ op: 'deleteRoute', route: have });
    } else if (have === undefined || have.gateway !== want.gateway || have.index !== want.index) {
      replace.push({ op: 'replaceRoute', route: want });
    }
  }
  return [...stale, ...replace];
}
