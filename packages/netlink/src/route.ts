// Route operations (`ip route …`).
import { afOf } from './codec/address-message.js';
import * as N from './codec/constants-netlink.js';
import { RTM_F_CLONED, RT_TABLE_MAIN } from './codec/constants-route.js';
import { decodeRouteMessage, writeRoute, writeRouteDump, writeRouteGet } from './codec/route-message.js';
import type { RouteFilter, VisitedFilter } from './netlink.js';
import type { NetlinkSocket } from './socket/netlink-socket.js';
import { ValueRequest, requestAck, requestDump, requestOne, type AckRequest } from './socket/requests.js';
import type { Route } from './types.js';
import { validateRouteForRequest, parseIp } from './validate.js';

/**
 * `ip route show [table N|all]` (`-4`/`-6` through `filter.family`); cache clones are left out. With
 * `filter.visit`, each route goes to it as it is decoded and the list resolves to `[]`.
 */
export async function listRoutes(socket: NetlinkSocket, filter: VisitedFilter<RouteFilter, Route> = {}): Promise<Route[]> {
  const family = filter.family ? afOf(filter.family) : N.AF_UNSPEC;
  const table = filter.table ?? RT_TABLE_MAIN;
  const { visit } = filter;
  // Decoded as the dump is read: no list of 15,000 messages waits for the last one.
  return requestDump(socket, 'listRoutes', N.RTM_GETROUTE, (writer) => writeRouteDump(writer, family), 0, (m) => {
    if (m.header.type !== N.RTM_NEWROUTE) return undefined;
    const decoded = decodeRouteMessage(m.payload);
    if (!decoded || (decoded.header.flags & RTM_F_CLONED) !== 0) return undefined;
    const { route } = decoded;
    if (filter.family && route.family !== filter.family) return undefined;
    if (table !== 'all' && route.table !== table) return undefined;
    if (filter.index !== undefined && route.index !== filter.index) return undefined;
    if (visit === undefined) return route;
    visit.entry(route);
    return undefined;
  }, visit && (() => visit.restart()));
}

/** The request of `ip route add|replace|del …` (validated; throws `NetlinkInvalidArgumentError`). */
export function routeRequest(operation: 'addRoute' | 'replaceRoute' | 'deleteRoute', route: Route): AckRequest {
  const valid = validateRouteForRequest(route, operation);
  if (operation === 'deleteRoute') return new ValueRequest(operation, N.RTM_DELROUTE, 0, route, valid, writeRoute, true);
  const flags = N.NLM_F_CREATE | (operation === 'addRoute' ? N.NLM_F_EXCL : N.NLM_F_REPLACE);
  return new ValueRequest(operation, N.RTM_NEWROUTE, flags, route, valid, writeRoute, false);
}

/** `ip route add <dst> [via <gw>] [dev <i>] [onlink] [scope S] [table T] [metric M] [mtu N]`; `EEXIST` if present. */
export async function addRoute(socket: NetlinkSocket, route: Route): Promise<void> {
  await requestAck(socket, routeRequest('addRoute', route));
}

/** `ip route replace …` */
export async function replaceRoute(socket: NetlinkSocket, route: Route): Promise<void> {
  await requestAck(socket, routeRequest('replaceRoute', route));
}

/** `ip route del …` */
export async function deleteRoute(socket: NetlinkSocket, route: Route): Promise<void> {
  await requestAck(socket, routeRequest('deleteRoute', route));
}

/** `ip route get <address>`: the route the kernel would use for it (as a resolved, cloned route). */
export async function getRoute(socket: NetlinkSocket, address: string): Promise<Route[]> {
  const ip = parseIp(address, 'address');
  const messages = await requestOne(socket, 'getRoute', N.RTM_GETROUTE, (writer) => writeRouteGet(writer, ip.address, ip.family), address);
  return messages
    .filter((m) => m.header.type === N.RTM_NEWROUTE)
    .map((m) => decodeRouteMessage(m.payload)?.route)
    .filter((r): r is Route => r !== undefined);
}
