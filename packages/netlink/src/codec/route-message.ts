// RTM_*ROUTE requests and replies.
import type { Route } from '../types.js';
import { attributeMap, decodeAttributes, indexAttributes } from './attributes.js';
import { AF_INET, AF_INET6 } from './constants-netlink.js';
import * as R from './constants-route.js';
import { routeHeader, type RouteHeader } from './family-headers.js';
import type { MessageWriter } from './message-writer.js';
import { afOf } from './address-message.js';
import { ROUTE_TYPE_NUMBERS, SCOPE_NUMBERS, routeTypeName, scopeName } from './scopes.js';
import { ipAt, parseCidr, readU32, u32At } from './values.js';

/**
 * Writes the body of an `RTM_NEWROUTE` (add/replace) or `RTM_DELROUTE`. New routes default like `ip route add`:
 * protocol `boot`, scope `universe`, type `unicast`, table main. A delete leaves unset fields as wildcards
 * (scope `RT_SCOPE_NOWHERE`, protocol and type 0), as `ip route del` does, so it matches what the kernel holds.
 */
export function writeRoute(w: MessageWriter, route: Route, forDelete = false): void {
  const { address, prefixLength } = parseCidr(route.destination);
  const table = route.table ?? R.RT_TABLE_MAIN;
  const type = route.type === undefined ? (forDelete ? R.RTN_UNSPEC : R.RTN_UNICAST) : ROUTE_TYPE_NUMBERS[route.type];
  // One header object for every route written (the writer copies it out at once): batches write thousands.
  const h = HEADER;
  h.family = afOf(route.family);
  h.destinationLength = prefixLength;
  h.table = table < 256 ? table : R.RT_TABLE_UNSPEC;
  h.protocol = route.protocol ?? (forDelete ? 0 : R.RTPROT_BOOT);
  h.scope = route.scope !== undefined ? SCOPE_NUMBERS[route.scope] : forDelete ? R.RT_SCOPE_NOWHERE : R.RT_SCOPE_UNIVERSE;
  h.type = type;
  h.flags = route.onlink ? R.RTNH_F_ONLINK : 0;
  w.struct(routeHeader, h);
  if (prefixLength > 0) w.ip(R.RTA_DST, address);
  w.u32(R.RTA_TABLE, table);
  if (route.gateway !== undefined) w.ip(R.RTA_GATEWAY, route.gateway);
  if (route.index !== undefined) w.u32(R.RTA_OIF, route.index);
  if (route.source !== undefined) w.ip(R.RTA_PREFSRC, route.source);
  if (route.priority !== undefined) w.u32(R.RTA_PRIORITY, route.priority);
  if (route.mtu !== undefined) {
    const metrics = w.fork(R.RTA_METRICS);
    w.u32(R.RTAX_MTU, route.mtu);
    w.join(metrics);
  }
}

/** The `rtmsg` {@link writeRoute} fills in for each route (`sourceLength` and `tos` stay 0). */
const HEADER: RouteHeader = { family: 0, destinationLength: 0, sourceLength: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0 };

/** Writes the body of an `RTM_GETROUTE` lookup of one address (`ip route get <address>`). */
export function writeRouteGet(w: MessageWriter, address: string, family: 4 | 6): void {
  w.struct(routeHeader, {
    family: afOf(family),
    destinationLength: family === 4 ? 32 : 128,
    sourceLength: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0,
  });
  w.ip(R.RTA_DST, address);
}

/** Writes the body of an `RTM_GETROUTE` dump of `family` (0 = both). */
export function writeRouteDump(w: MessageWriter, family: number): void {
  w.struct(routeHeader, { family, destinationLength: 0, sourceLength: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0 });
}

/** A decoded route together with its raw `rtmsg` (for filters on flags such as `RTM_F_CLONED`). */
export interface RouteMessage {
  readonly header: RouteHeader;
  readonly route: Route;
}

/** Decodes an `RTM_NEWROUTE` payload, or `undefined` for families other than IPv4/IPv6. */
export function decodeRouteMessage(payload: Uint8Array): RouteMessage | undefined {
  const { value: header, consumed } = routeHeader.decode(payload);
  if (header.family !== AF_INET && header.family !== AF_INET6) return undefined;
  const family = header.family === AF_INET ? 4 : 6;
  // No object per attribute: a dump decodes thousands of routes.
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const at = ROUTE_ATTRIBUTES;
  indexAttributes(payload, view, consumed, payload.byteLength, at);
  const type = routeTypeName(header.type);
  const dst = 2 * R.RTA_DST;
  const route: { -readonly [K in keyof Route]: Route[K] } = {
    family,
    destination: `${at[dst]! >= 0 ? ipAt(payload, at[dst]!, at[dst + 1]!) : family === 4 ? '0.0.0.0' : '::'}/${header.destinationLength}`,
  };
  const gateway = 2 * R.RTA_GATEWAY;
  if (at[gateway]! >= 0) route.gateway = ipAt(payload, at[gateway]!, at[gateway + 1]!);
  const oif = 2 * R.RTA_OIF;
  if (at[oif]! >= 0) route.index = u32At(view, at[oif]!, at[oif + 1]!, R.RTA_OIF, 'RTA_OIF');
  const source = 2 * R.RTA_PREFSRC;
  if (at[source]! >= 0) route.source = ipAt(payload, at[source]!, at[source + 1]!);
  route.scope = scopeName(header.scope);
  const table = 2 * R.RTA_TABLE;
  route.table = at[table]! >= 0 ? u32At(view, at[table]!, at[table + 1]!, R.RTA_TABLE, 'RTA_TABLE') : header.table;
  if (type) route.type = type;
  if ((header.flags & R.RTNH_F_ONLINK) !== 0) route.onlink = true;
  route.protocol = header.protocol;
  const priority = 2 * R.RTA_PRIORITY;
  if (at[priority]! >= 0) route.priority = u32At(view, at[priority]!, at[priority + 1]!, R.RTA_PRIORITY, 'RTA_PRIORITY');
  const metrics = 2 * R.RTA_METRICS;
  if (at[metrics]! >= 0) {
    const mtuAttribute = attributeMap(decodeAttributes(payload.subarray(at[metrics]!, at[metrics]! + at[metrics + 1]!))).get(R.RTAX_MTU);
    if (mtuAttribute) route.mtu = readU32(mtuAttribute, 'RTAX_MTU');
  }
  return { header, route };
}

/** Where {@link decodeRouteMessage} finds the attributes it reads (every `RTA_*` it reads is below 16). */
const ROUTE_ATTRIBUTES = new Int32Array(2 * 16);
