// Reconcile, don't replay: desired routes (one per lease, from the backend's routeFor) against the owned
// actual routes (full pass) or against the model of what was programmed (incremental pass).
import type { NetlinkOperation, Route } from '@flannel-ts/netlink';
import { routeAddressKey, routeDestinationKey } from './route-keys.js';

/**
 * Whether the kernel's route already is the desired one: same gateway, device, `onlink` and protocol
 * (a route of ours written without the mark is rewritten once, so later passes recognise it).
 *
 * @example
 * ```ts
 * routeMatches({ family: 4, destination: '10.5.1.0/24', gateway: '192.168.1.2', index: 2 }, actual);
 * ```
 */
export function routeMatches(desired: Route, actual: Route | undefined): boolean {
  return (
    actual !== undefined &&
    routeAddressKey(actual.gateway) === routeAddressKey(desired.gateway) &&
    (desired.index === undefined || actual.index === desired.index) &&
    (actual.onlink ?? false) === (desired.onlink ?? false) &&
    (desired.protocol === undefined || (actual.protocol ?? 3) === desired.protocol)
  );
}

/**
 * The operations that make the owned routes equal the desired ones: stale routes deleted first, then
 * missing or different routes replaced (flannel's "Replacing existing route").
 *
 * @example
 * ```ts
 * await netlink.batch(diffRoutes(desired, ownedRoutes(await netlink.listRoutes({ family: 4 }), ownership)));
 * ```
 */
export function diffRoutes(desired: readonly Route[], actual: readonly Route[]): NetlinkOperation[] {
  const current = new Map(actual.map((route) => [routeDestinationKey(route.destination), route]));
  const wanted = new Set<string>();
  const replace: NetlinkOperation[] = [];
  for (const route of desired) {
    const key = routeDestinationKey(route.destination);
    wanted.add(key);
    if (!routeMatches(route, current.get(key))) replace.push({ op: 'replaceRoute', route });
  }
  const stale: NetlinkOperation[] = [];
  for (const [key, route] of current) if (!wanted.has(key)) stale.push({ op: 'deleteRoute', route });
  return [...stale, ...replace];
}

/**
 * The operations for just the destinations (`keys`, from {@link routeDestinationKey}) a burst of lease
 * events touched, against the model of what was programmed instead of a route dump: a programmed route no
 * longer wanted is deleted, a wanted route missing or different is replaced. `desired` holds the routes of
 * those destinations only. Never deletes what is not in the model.
 *
 * @example
 * ```ts
 * await netlink.batch(diffRouteChanges(desired, programmed, ['10.5.34.0/24']));
 * ```
 */
export function diffRouteChanges(desired: readonly Route[], programmed: ReadonlyMap<string, Route>, keys: Iterable<string>): NetlinkOperation[] {
  const wanted = new Map(desired.map((route) => [routeDestinationKey(route.destination), route]));
  const stale: NetlinkOperation[] = [];
  const replace: NetlinkOperation[] = [];
  for (const key of new Set(keys)) {
    const have = programmed.get(key);
    const want = wanted.get(key);
    if (want === undefined) {
      if (have !== undefined) stale.push({ op: 'deleteRoute', route: have });
    } else if (!routeMatches(want, have)) {
      replace.push({ op: 'replaceRoute', route: want });
    }
  }
  return [...stale, ...replace];
}
