// Pure checks of every request before it is sent (no I/O). Both the kernel implementation and
// RecordingNetlink run these, so both refuse exactly the same input with the same
// NetlinkInvalidArgumentError. Each validator returns a normalised copy (canonical IP text, lower-case
// MACs, undefined fields dropped) that implementations should use from then on.
//
// This file checks addresses, routes, neighbours and FDB entries and re-exports the rest (links in
// validate-link.ts, IP text in validate-ip.ts, MACs in validate-mac.ts), so `./validate.js` is the one
// import path.
import type { Address, Family, FdbEntry, Neighbour, Route } from './types.js';

/** `T` with writable fields, for building a normalised copy. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
import { canonicalIpv4NetworkPrefix, cidrWith, ipOfFamily, ipTextOf } from './validate-ip.js';
import { macTextWith } from './validate-mac.js';
import {
  MAX_LINK_NAME_BYTES, MAX_VNI, NEIGHBOUR_STATES, ROUTE_TYPES, SCOPES, boolean, compact, failer, family, index, integer,
  inRequest, mtu, oneOf, throwPlain, type Fail,
} from './validate-rules.js';

export { MAX_LINK_NAME_BYTES, MAX_MTU, MAX_VNI, MIN_MTU } from './validate-rules.js';
export { formatIp } from './codec/ip-text.js';
export { cidrContains, parseCidr, parseIp } from './validate-ip.js';
export type { ParsedCidr, ParsedIp } from './validate-ip.js';
export { formatMac, normalizeMac, parseMac } from './validate-mac.js';
export { validateLinkChanges, validateLinkName, validateLinkRef, validateLinkSpec } from './validate-link.js';

/**
 * `check(value, reuse, operation)`, with the operation and the request named in the refusal it throws (the
 * checks fail with the plain {@link throwPlain}, so nothing outlives the call).
 */
function validated<T>(check: (value: T, reuse: boolean, operation: string) => T, value: T, operation: string, reuse: boolean): T {
  try {
    return check(value, reuse, operation);
  } catch (error) {
    throw inRequest(error, operation, value);
  }
}

/**
 * Checks an interface address: family 4|6 matching the address, prefix 0..32/0..128, link index,
 * scope name, label at most 15 bytes.
 *
 * @example
 * ```ts
 * validateAddress({ family: 4, index: 5, address: '10.5.72.0', prefixLength: 32 });
 * ```
 */
export function validateAddress(address: Address, operation = 'addAddress'): Address {
  const fail = failer(operation, address);
  if (typeof address !== 'object' || address === null) return fail('address', address, 'must be an object');
  const addressFamily = family(fail, 'family', address.family);
  const ip = ipOfFamily(fail, 'address', address.address, addressFamily);
  const max = addressFamily === 4 ? 32 : 128;
  const prefixLength = integer(fail, 'prefixLength', address.prefixLength, 0, max, `must be 0..${max} for IPv${addressFamily}`);
  let label: string | undefined;
  if (address.label !== undefined) {
    label = address.label;
    if (typeof label !== 'string' || new TextEncoder().encode(label).length > MAX_LINK_NAME_BYTES || label === '') {
      return fail('label', label, `must be 1..${MAX_LINK_NAME_BYTES} bytes`);
    }
  }
  return compact({
    family: addressFamily,
    index: index(fail, 'index', address.index),
    address: ip.address,
    prefixLength,
    scope: address.scope === undefined ? undefined : oneOf(fail, 'scope', address.scope, SCOPES),
    label,
    dynamic: boolean(fail, 'dynamic', address.dynamic),
  });
}

/**
 * Checks a route: destination CIDR of the route's family with no host bits set (the kernel refuses
 * them for IPv4 and silently clears them for IPv6; flannel-ts refuses both), gateway and source of
 * the same family, a gateway or a device for unicast routes (except with operation `deleteRoute`,
 * where the destination alone is enough), `onlink` only with a device, table
 * 1..2^32−1, protocol 0..255, MTU 68..65535.
 *
 * @example
 * ```ts
 * validateRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 5, onlink: true });
 * ```
 */
export function validateRoute(route: Route, operation = 'addRoute'): Route {
  return validated(checkRoute, route, operation, false);
}

/**
 * {@link validateRoute} for a request about to be encoded: the same checks and errors, but a route already in
 * canonical form is returned as is instead of copied (batches check thousands). The caller must not change it
 * until it is sent.
 *
 * @internal
 */
export function validateRouteForRequest(route: Route, operation: string): Route {
  return validated(checkRoute, route, operation, true);
}

function checkRoute(route: Route, reuse: boolean, operation: string): Route {
  const fail = throwPlain;
  if (typeof route !== 'object' || route === null) return fail('route', route, 'must be an object');
  const addressFamily = family(fail, 'family', route.family);
  const destination = addressFamily === 4 && typeof route.destination === 'string' && canonicalIpv4NetworkPrefix(route.destination) >= 0
    ? route.destination
    : destinationCidr(fail, addressFamily, route.destination);
  const gateway = route.gateway === undefined
    ? undefined
    : ipTextOf(fail, 'gateway', route.gateway, addressFamily, `must be of the destination's family (IPv${addressFamily})`);
  const source = route.source === undefined
    ? undefined
    : ipTextOf(fail, 'source', route.source, addressFamily, `must be of the destination's family (IPv${addressFamily})`);
  const linkIndex = route.index === undefined ? undefined : index(fail, 'index', route.index);
  const type = route.type === undefined ? undefined : oneOf(fail, 'type', route.type, ROUTE_TYPES);
  const onlink = boolean(fail, 'onlink', route.onlink);
  // `ip route del 10.5.34.0/24` names only the destination; adding needs a nexthop.
  const deleting = operation === 'deleteRoute';
  if (!deleting && (type ?? 'unicast') === 'unicast' && gateway === undefined && linkIndex === undefined) {
    return fail('gateway', route.gateway, 'a unicast route needs a gateway or a device index');
  }
  if (onlink && linkIndex === undefined) return fail('onlink', true, 'needs a device index');
  const scope = route.scope === undefined ? undefined : oneOf(fail, 'scope', route.scope, SCOPES);
  const table = route.table === undefined ? undefined : integer(fail, 'table', route.table, 1, 0xff_ff_ff_ff, 'must be 1..4294967295 (254 is main)');
  const protocol = route.protocol === undefined ? undefined : integer(fail, 'protocol', route.protocol, 0, 255, 'must be 0..255');
  const priority = route.priority === undefined ? undefined : integer(fail, 'priority', route.priority, 0, 0xff_ff_ff_ff, 'must be 0..4294967295');
  const routeMtu = mtu(fail, 'mtu', route.mtu);
  // Every other field was checked as given; only the address texts may have been rewritten.
  if (reuse && destination === route.destination && gateway === route.gateway && source === route.source) return route;
  // Built field by field: no undefined keys, the same key order as the contract's `Route`.
  const out: Mutable<Route> = { family: addressFamily, destination };
  if (gateway !== undefined) out.gateway = gateway;
  if (linkIndex !== undefined) out.index = linkIndex;
  if (source !== undefined) out.source = source;
  if (scope !== undefined) out.scope = scope;
  if (table !== undefined) out.table = table;
  if (type !== undefined) out.type = type;
  if (onlink !== undefined) out.onlink = onlink;
  if (protocol !== undefined) out.protocol = protocol;
  if (priority !== undefined) out.priority = priority;
  if (routeMtu !== undefined) out.mtu = routeMtu;
  return out;
}

/** The canonical text of a route's destination: a CIDR of the route's family with no host bits set, or a refusal. */
function destinationCidr(fail: Fail, addressFamily: Family, text: string): string {
  const destination = cidrWith(text, 'destination', fail);
  if (destination.family !== addressFamily) return fail('destination', text, `must be an IPv${addressFamily} CIDR (family ${addressFamily})`);
  if (destination.hostBitsSet) {
    return fail('destination', text, `must have no host bits set (network is ${destination.network}/${destination.prefixLength})`);
  }
  return destination.cidr;
}

/**
 * Checks an ARP/NDP entry: family matching the address, link index, 6-octet MAC, state name.
 *
 * @example
 * ```ts
 * validateNeighbour({ family: 4, index: 5, address: '10.5.34.0', hardwareAddress: 'C6:D2:32:6F:8F:44' });
 * // → hardwareAddress 'c6:d2:32:6f:8f:44'
 * ```
 */
export function validateNeighbour(neighbour: Neighbour, operation = 'replaceNeighbour'): Neighbour {
  return validated(checkNeighbour, neighbour, operation, false);
}

/**
 * {@link validateNeighbour} for a request about to be encoded: a neighbour already in canonical form is returned
 * as is instead of copied. The caller must not change it until it is sent.
 *
 * @internal
 */
export function validateNeighbourForRequest(neighbour: Neighbour, operation: string): Neighbour {
  return validated(checkNeighbour, neighbour, operation, true);
}

function checkNeighbour(neighbour: Neighbour, reuse: boolean): Neighbour {
  const fail = throwPlain;
  if (typeof neighbour !== 'object' || neighbour === null) return fail('neighbour', neighbour, 'must be an object');
  const addressFamily = family(fail, 'family', neighbour.family);
  const linkIndex = index(fail, 'index', neighbour.index);
  const address = ipTextOf(fail, 'address', neighbour.address, addressFamily);
  const hardwareAddress = neighbour.hardwareAddress === undefined ? undefined : macTextWith(neighbour.hardwareAddress, 'hardwareAddress', fail);
  const state = neighbour.state === undefined ? undefined : oneOf(fail, 'state', neighbour.state, NEIGHBOUR_STATES);
  if (reuse && address === neighbour.address && hardwareAddress === neighbour.hardwareAddress) return neighbour;
  const out: Mutable<Neighbour> = { family: addressFamily, index: linkIndex, address };
  if (hardwareAddress !== undefined) out.hardwareAddress = hardwareAddress;
  if (state !== undefined) out.state = state;
  return out;
}

/**
 * Checks a bridge/VXLAN FDB entry: link index, 6-octet MAC, destination IP, VNI 0..2^24−1,
 * port 0..65535, state name.
 *
 * @example
 * ```ts
 * validateFdbEntry({ index: 5, hardwareAddress: 'c6:d2:32:6f:8f:44', destination: '192.168.64.3' });
 * ```
 */
export function validateFdbEntry(entry: FdbEntry, operation = 'replaceFdb'): FdbEntry {
  return validated(checkFdbEntry, entry, operation, false);
}

/**
 * {@link validateFdbEntry} for a request about to be encoded: an entry already in canonical form is returned as
 * is instead of copied. The caller must not change it until it is sent.
 *
 * @internal
 */
export function validateFdbEntryForRequest(entry: FdbEntry, operation: string): FdbEntry {
  return validated(checkFdbEntry, entry, operation, true);
}

function checkFdbEntry(entry: FdbEntry, reuse: boolean): FdbEntry {
  const fail = throwPlain;
  if (typeof entry !== 'object' || entry === null) return fail('entry', entry, 'must be an object');
  const linkIndex = index(fail, 'index', entry.index);
  const hardwareAddress = macTextWith(entry.hardwareAddress, 'hardwareAddress', fail);
  const destination = entry.destination === undefined ? undefined : ipTextOf(fail, 'destination', entry.destination, undefined);
  const self = boolean(fail, 'self', entry.self);
  const master = boolean(fail, 'master', entry.master);
  const state = entry.state === undefined ? undefined : oneOf(fail, 'state', entry.state, NEIGHBOUR_STATES);
  const vni = entry.vni === undefined ? undefined : integer(fail, 'vni', entry.vni, 0, MAX_VNI, `must be 0..${MAX_VNI}`);
  const port = entry.port === undefined ? undefined : integer(fail, 'port', entry.port, 0, 65535, 'must be 0..65535');
  if (reuse && hardwareAddress === entry.hardwareAddress && destination === entry.destination) return entry;
  const out: Mutable<FdbEntry> = { index: linkIndex, hardwareAddress };
  if (destination !== undefined) out.destination = destination;
  if (self !== undefined) out.self = self;
  if (master !== undefined) out.master = master;
  if (state !== undefined) out.state = state;
  if (vni !== undefined) out.vni = vni;
  if (port !== undefined) out.port = port;
  return out;
}
