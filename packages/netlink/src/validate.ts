// Pure checks of every request before it is sent (no I/O). Both the kernel implementation and
// RecordingNetlink run these, so both refuse exactly the same input with the same
// NetlinkInvalidArgumentError. Each validator returns a normalised copy (canonical IP text, lower-case
// MACs, undefined fields dropped) that implementations should use from then on.
//
// The text parsers live here too, because every validator needs them and the codec needs the bytes.
import { NetlinkInvalidArgumentError } from './errors.js';
import type { LinkRef } from './netlink.js';
import type {
  Address, Family, FdbEntry, LinkChanges, LinkSpec, Neighbour, NeighbourState, Route, RouteScope, RouteType,
} from './types.js';

/** `IFNAMSIZ` − 1: the longest interface name the kernel stores. */
export const MAX_LINK_NAME_BYTES = 15;
/** The largest VXLAN Network Identifier: a 24-bit field, 2^24 − 1. */
export const MAX_VNI = 0xff_ff_ff;
/**
 * Smallest MTU accepted: 68, the datagram every IPv4 link must carry unfragmented (RFC 791) and the
 * kernel's `ETH_MIN_MTU`. Below it the kernel drops the link's IPv4 addresses, so a flannel device
 * with such an MTU would be useless. (IPv6 needs 1280; the kernel disables IPv6 on smaller links but
 * keeps the link.)
 */
export const MIN_MTU = 68;
/** Largest MTU accepted: 65535, the largest IP packet (`IP_MAX_MTU`). */
export const MAX_MTU = 0xff_ff;

type Fail = (field: string, value: unknown, rule: string) => never;

function failer(operation: string, request: unknown): Fail {
  return (field, value, rule) => {
    throw new NetlinkInvalidArgumentError({ field, value, rule, operation, request });
  };
}

const throwPlain: Fail = (field, value, rule) => {
  throw new NetlinkInvalidArgumentError({ field, value, rule });
};

// ---------------------------------------------------------------------------------------------------
// IP addresses and CIDRs

/** An IP address parsed from text. */
export interface ParsedIp {
  readonly family: Family;
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
  readonly address: string;
  /** 4 or 16 network-order bytes. */
  readonly bytes: Uint8Array;
}

/** A CIDR parsed from text. */
export interface ParsedCidr extends ParsedIp {
  readonly prefixLength: number;
  /** Canonical `address/prefix`, host bits kept as given. */
  readonly cidr: string;
  /** The network address (host bits cleared), canonical text. */
  readonly network: string;
  /** True when `address` has bits set beyond the prefix. */
  readonly hostBitsSet: boolean;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Leading zeros are refused: inet_aton reads them as octal, so `010.0.0.1` is ambiguous.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else {
      if (!/^[0-9a-f]{1,4}$/.test(part)) return undefined;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * Text of a 4- or 16-byte address: dotted quad, or RFC 5952 IPv6 (`fd00::1`, `::ffff:10.0.0.1`).
 *
 * @example
 * ```ts
 * formatIp(new Uint8Array([10, 5, 34, 0])); // '10.5.34.0'
 * ```
 */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.subarray(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (bestLength < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/**
 * Parses an IPv4 or IPv6 address (no zone, no prefix) and detects its family.
 * Throws `NetlinkInvalidArgumentError` naming `field`.
 *
 * @example
 * ```ts
 * parseIp('FD00:0:0::1'); // { family: 6, address: 'fd00::1', bytes: … }
 * ```
 */
export function parseIp(text: string, field = 'address'): ParsedIp {
  return ipWith(text, field, throwPlain);
}

function ipWith(text: string, field: string, fail: Fail): ParsedIp {
  if (typeof text !== 'string') return fail(field, text, 'must be an IPv4 or IPv6 address as text');
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, address: formatIp(v4), bytes: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  if (v6) return { family: 6, address: formatIp(v6), bytes: v6 };
  return fail(field, text, 'must be an IPv4 address (a.b.c.d) or an IPv6 address');
}

/**
 * Parses `address/prefix`; the prefix must be 0..32 (IPv4) or 0..128 (IPv6). Host bits are allowed
 * here and reported in `hostBitsSet`.
 *
 * @example
 * ```ts
 * parseCidr('10.5.34.1/24'); // { family: 4, address: '10.5.34.1', prefixLength: 24, network: '10.5.34.0', hostBitsSet: true, … }
 * ```
 */
export function parseCidr(text: string, field = 'cidr'): ParsedCidr {
  return cidrWith(text, field, throwPlain);
}

function cidrWith(text: string, field: string, fail: Fail): ParsedCidr {
  if (typeof text !== 'string') return fail(field, text, 'must be a CIDR (address/prefix) as text');
  const slash = text.indexOf('/');
  if (slash < 0) return fail(field, text, 'must be a CIDR (address/prefix)');
  const ip = ipWith(text.slice(0, slash), field, (f, _v, rule) => fail(f, text, rule));
  const prefixText = text.slice(slash + 1);
  const max = ip.family === 4 ? 32 : 128;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    return fail(field, text, `prefix length must be 0..${max} for IPv${ip.family}`);
  }
  const prefixLength = Number(prefixText);
  const network = maskBytes(ip.bytes, prefixLength);
  return {
    ...ip,
    prefixLength,
    cidr: `${ip.address}/${prefixLength}`,
    network: formatIp(network),
    hostBitsSet: network.some((b, i) => b !== ip.bytes[i]),
  };
}

function maskBytes(bytes: Uint8Array, prefixLength: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
    out[i] = out[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

/**
 * True when `address` lies inside `cidr` (same family, same prefix bits).
 *
 * @example
 * ```ts
 * cidrContains('10.5.0.0/16', '10.5.34.1'); // true
 * ```
 */
export function cidrContains(cidr: string, address: string): boolean {
  const net = parseCidr(cidr);
  const ip = parseIp(address);
  if (net.family !== ip.family) return false;
  const a = maskBytes(ip.bytes, net.prefixLength);
  const b = maskBytes(net.bytes, net.prefixLength);
  return a.every((byte, i) => byte === b[i]);
}

// ---------------------------------------------------------------------------------------------------
// MAC addresses

/**
 * Parses a 6-octet MAC: `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF` or `aabb.ccdd.eeff`.
 *
 * @example
 * ```ts
 * parseMac('0E-2A-00-00-00-01'); // Uint8Array [14, 42, 0, 0, 0, 1]
 * ```
 */
export function parseMac(text: string, field = 'hardwareAddress'): Uint8Array {
  return macWith(text, field, throwPlain);
}

function macWith(text: string, field: string, fail: Fail): Uint8Array {
  const rule = 'must be a MAC address of exactly 6 octets (aa:bb:cc:dd:ee:ff)';
  if (typeof text !== 'string') return fail(field, text, rule);
  let hex: string | undefined;
  if (/^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(text)) hex = text.replace(/[:-]/g, '');
  else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(text)) hex = text.replace(/\./g, '');
  if (hex === undefined) return fail(field, text, rule);
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * Lower-case colon form of a 6-octet MAC.
 *
 * @example
 * ```ts
 * formatMac(new Uint8Array([0x0e, 0x2a, 0, 0, 0, 1])); // '0e:2a:00:00:00:01'
 * ```
 */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * Normalises MAC text to lower-case colon form, validating it.
 *
 * @example
 * ```ts
 * normalizeMac('C6:D2:32:6F:8F:44'); // 'c6:d2:32:6f:8f:44'
 * ```
 */
export function normalizeMac(text: string, field = 'hardwareAddress'): string {
  return formatMac(macWith(text, field, throwPlain));
}

// ---------------------------------------------------------------------------------------------------
// Scalars

function integer(fail: Fail, field: string, value: unknown, min: number, max: number, rule?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(field, value, rule ?? `must be an integer ${min}..${max}`);
  }
  return value;
}

function boolean(fail: Fail, field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') return fail(field, value, 'must be true or false');
  return value;
}

function family(fail: Fail, field: string, value: unknown): Family {
  if (value !== 4 && value !== 6) return fail(field, value, 'must be 4 or 6');
  return value;
}

const MAX_INDEX = 0x7f_ff_ff_ff;
const index = (fail: Fail, field: string, value: unknown): number =>
  integer(fail, field, value, 1, MAX_INDEX, `must be a link index 1..${MAX_INDEX}`);

const SCOPES: ReadonlySet<RouteScope> = new Set(['universe', 'site', 'link', 'host', 'nowhere']);
const ROUTE_TYPES: ReadonlySet<RouteType> = new Set(['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit']);
const NEIGHBOUR_STATES: ReadonlySet<NeighbourState> = new Set([
  'incomplete', 'reachable', 'stale', 'delay', 'probe', 'failed', 'noarp', 'permanent', 'none',
]);

function oneOf<T extends string>(fail: Fail, field: string, value: unknown, allowed: ReadonlySet<T>): T {
  if (typeof value !== 'string' || !allowed.has(value as T)) return fail(field, value, `must be one of ${[...allowed].join(', ')}`);
  return value as T;
}

/** Drops keys whose value is `undefined`, so normalised objects compare and print cleanly. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function ipOfFamily(fail: Fail, field: string, value: unknown, expected: Family | undefined, rule?: string): ParsedIp {
  const ip = ipWith(value as string, field, fail);
  if (expected !== undefined && ip.family !== expected) {
    return fail(field, value, rule ?? `must be an IPv${expected} address (family ${expected})`);
  }
  return ip;
}


// ---------------------------------------------------------------------------------------------------
// Links

/**
 * Checks an interface name the way the kernel's `dev_valid_name` does: 1..15 bytes, not `.` or `..`,
 * no `/`, `:` or whitespace. `%` is refused too: the kernel would treat the name as a template
 * (`flannel%d` → `flannel0`) and create a link under a different name.
 *
 * @example
 * ```ts
 * validateLinkName('flannel.1'); // 'flannel.1'
 * validateLinkName('a-name-that-is-too-long'); // throws: name "a-name-that-is-too-long" is invalid: must be 1..15 bytes
 * ```
 */
export function validateLinkName(name: string, field = 'name'): string {
  return nameWith(name, field, throwPlain);
}

function nameWith(name: string, field: string, fail: Fail): string {
  if (typeof name !== 'string') return fail(field, name, 'must be an interface name as text');
  const bytes = new TextEncoder().encode(name).length;
  if (bytes < 1 || bytes > MAX_LINK_NAME_BYTES) return fail(field, name, `must be 1..${MAX_LINK_NAME_BYTES} bytes`);
  if (name === '.' || name === '..') return fail(field, name, "must not be '.' or '..'");
  if (name.includes('/')) return fail(field, name, "must not contain '/'");
  if (name.includes(':')) return fail(field, name, "must not contain ':'");
  if (/[\s\0]/.test(name)) return fail(field, name, 'must not contain whitespace or NUL');
  if (name.includes('%')) return fail(field, name, "must not contain '%' (the kernel treats it as a name template)");
  return name;
}

/**
 * Checks a link reference: a valid name or an index 1..2^31−1.
 *
 * @example
 * ```ts
 * validateLinkRef(0, 'getLink'); // throws: link 0 is invalid: must be a link index 1..2147483647
 * ```
 */
export function validateLinkRef(ref: LinkRef, operation = 'getLink'): LinkRef {
  const fail = failer(operation, ref);
  if (typeof ref === 'number') return index(fail, 'link', ref);
  return nameWith(ref, 'link', fail);
}

function mtu(fail: Fail, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return integer(fail, field, value, MIN_MTU, MAX_MTU, `must be ${MIN_MTU}..${MAX_MTU} (${MIN_MTU} is the IPv4 minimum)`);
}

function unicastMac(fail: Fail, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const bytes = macWith(value as string, field, fail);
  // eth_validate_addr: the kernel refuses multicast and all-zero addresses for Ethernet-like links.
  if ((bytes[0]! & 1) === 1) return fail(field, value, 'must be a unicast MAC (lowest bit of the first octet clear)');
  if (bytes.every((b) => b === 0)) return fail(field, value, 'must not be 00:00:00:00:00:00');
  return formatMac(bytes);
}

function masterIndex(fail: Fail, value: unknown, allowZero: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (allowZero && value === 0) return 0;
  return index(fail, 'masterIndex', value);
}

const LINK_KINDS = new Set(['vxlan', 'bridge', 'veth', 'wireguard', 'ipip', 'tun']);

/**
 * Checks a link creation request (`ip link add`): name, MTU 68..65535, unicast MAC, and the
 * kind-specific data (VXLAN VNI 0..2^24−1, port 0..65535, TTL 0..255, local/group of one family;
 * ipip endpoints IPv4; veth peer name). Returns the normalised spec.
 *
 * @example
 * ```ts
 * validateLinkSpec({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 16777216 } });
 * // throws NetlinkInvalidArgumentError: vxlan.vni 16777216 is invalid: must be 0..16777215
 * ```
 */
export function validateLinkSpec(spec: LinkSpec, operation = 'addLink'): LinkSpec {
  const fail = failer(operation, spec);
  if (typeof spec !== 'object' || spec === null) return fail('spec', spec, 'must be an object');
  const name = nameWith(spec.name, 'name', fail);
  const common = {
    name,
    mtu: mtu(fail, 'mtu', spec.mtu),
    hardwareAddress: unicastMac(fail, 'hardwareAddress', spec.hardwareAddress),
    masterIndex: masterIndex(fail, spec.masterIndex, false),
    up: boolean(fail, 'up', spec.up),
  };
  const kind = oneOf(fail, 'kind', spec.kind, LINK_KINDS);
  switch (spec.kind) {
    case 'vxlan': {
      const v = spec.vxlan;
      if (typeof v !== 'object' || v === null) return fail('vxlan', v, 'must be an object with at least vni');
      const vni = integer(fail, 'vxlan.vni', v.vni, 0, MAX_VNI, `must be 0..${MAX_VNI}`);
      const local = v.local === undefined ? undefined : ipWith(v.local, 'vxlan.local', fail);
      const group = v.group === undefined
        ? undefined
        : ipOfFamily(fail, 'vxlan.group', v.group, local?.family, 'must be of the same family as vxlan.local');
      const vxlan = compact({
        vni,
        local: local?.address,
        group: group?.address,
        underlayIndex: v.underlayIndex === undefined ? undefined : index(fail, 'vxlan.underlayIndex', v.underlayIndex),
        port: v.port === undefined ? undefined : integer(fail, 'vxlan.port', v.port, 0, 65535, 'must be 0..65535'),
        learning: boolean(fail, 'vxlan.learning', v.learning),
        gbp: boolean(fail, 'vxlan.gbp', v.gbp),
        udpChecksum: boolean(fail, 'vxlan.udpChecksum', v.udpChecksum),
        ttl: v.ttl === undefined ? undefined : integer(fail, 'vxlan.ttl', v.ttl, 0, 255, 'must be 0..255'),
        l2miss: boolean(fail, 'vxlan.l2miss', v.l2miss),
        l3miss: boolean(fail, 'vxlan.l3miss', v.l3miss),
      });
      return compact({ ...common, kind, vxlan }) as LinkSpec;
    }
    case 'veth': {
      const peerName = nameWith(spec.peerName, 'peerName', fail);
      if (peerName === name && spec.peerNetns === undefined) return fail('peerName', peerName, 'must differ from name');
      return compact({ ...common, kind, peerName, peerNetns: spec.peerNetns }) as LinkSpec;
    }
    case 'ipip': {
      const t = spec.ipip ?? {};
      const ipip = compact({
        local: t.local === undefined ? undefined : ipOfFamily(fail, 'ipip.local', t.local, 4).address,
        remote: t.remote === undefined ? undefined : ipOfFamily(fail, 'ipip.remote', t.remote, 4).address,
        ttl: t.ttl === undefined ? undefined : integer(fail, 'ipip.ttl', t.ttl, 0, 255, 'must be 0..255'),
        pmtudisc: boolean(fail, 'ipip.pmtudisc', t.pmtudisc),
      });
      return compact({ ...common, kind, ipip }) as LinkSpec;
    }
    default:
      return compact({ ...common, kind }) as LinkSpec;
  }
}

/**
 * Checks `ip link set` changes: MTU 68..65535, unicast MAC, `masterIndex` 0 (no master) or an index.
 *
 * @example
 * ```ts
 * validateLinkChanges({ mtu: 1450, up: true }); // { mtu: 1450, up: true }
 * ```
 */
export function validateLinkChanges(changes: LinkChanges, operation = 'setLink'): LinkChanges {
  const fail = failer(operation, changes);
  if (typeof changes !== 'object' || changes === null) return fail('changes', changes, 'must be an object');
  return compact({
    up: boolean(fail, 'up', changes.up),
    mtu: mtu(fail, 'mtu', changes.mtu),
    hardwareAddress: unicastMac(fail, 'hardwareAddress', changes.hardwareAddress),
    masterIndex: masterIndex(fail, changes.masterIndex, true),
  });
}

// ---------------------------------------------------------------------------------------------------
// Addresses, routes, neighbours, FDB

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
  const fam = family(fail, 'family', address.family);
  const ip = ipOfFamily(fail, 'address', address.address, fam);
  const max = fam === 4 ? 32 : 128;
  const prefixLength = integer(fail, 'prefixLength', address.prefixLength, 0, max, `must be 0..${max} for IPv${fam}`);
  let label: string | undefined;
  if (address.label !== undefined) {
    label = address.label;
    if (typeof label !== 'string' || new TextEncoder().encode(label).length > MAX_LINK_NAME_BYTES || label === '') {
      return fail('label', label, `must be 1..${MAX_LINK_NAME_BYTES} bytes`);
    }
  }
  return compact({
    family: fam,
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
 * the same family, a gateway or a device for unicast routes, `onlink` only with a device, table
 * 1..2^32−1, protocol 0..255, MTU 68..65535.
 *
 * @example
 * ```ts
 * validateRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 5, onlink: true });
 * ```
 */
export function validateRoute(route: Route, operation = 'addRoute'): Route {
  const fail = failer(operation, route);
  if (typeof route !== 'object' || route === null) return fail('route', route, 'must be an object');
  const fam = family(fail, 'family', route.family);
  const destination = cidrWith(route.destination, 'destination', fail);
  if (destination.family !== fam) return fail('destination', route.destination, `must be an IPv${fam} CIDR (family ${fam})`);
  if (destination.hostBitsSet) {
    return fail('destination', route.destination, `must have no host bits set (network is ${destination.network}/${destination.prefixLength})`);
  }
  const gateway = route.gateway === undefined
    ? undefined
    : ipOfFamily(fail, 'gateway', route.gateway, fam, `must be of the destination's family (IPv${fam})`);
  const source = route.source === undefined
    ? undefined
    : ipOfFamily(fail, 'source', route.source, fam, `must be of the destination's family (IPv${fam})`);
  const idx = route.index === undefined ? undefined : index(fail, 'index', route.index);
  const type = route.type === undefined ? undefined : oneOf(fail, 'type', route.type, ROUTE_TYPES);
  const onlink = boolean(fail, 'onlink', route.onlink);
  if ((type ?? 'unicast') === 'unicast' && gateway === undefined && idx === undefined) {
    return fail('gateway', route.gateway, 'a unicast route needs a gateway or a device index');
  }
  if (onlink && idx === undefined) return fail('onlink', true, 'needs a device index');
  return compact({
    family: fam,
    destination: destination.cidr,
    gateway: gateway?.address,
    index: idx,
    source: source?.address,
    scope: route.scope === undefined ? undefined : oneOf(fail, 'scope', route.scope, SCOPES),
    table: route.table === undefined ? undefined : integer(fail, 'table', route.table, 1, 0xff_ff_ff_ff, 'must be 1..4294967295 (254 is main)'),
    type,
    onlink,
    protocol: route.protocol === undefined ? undefined : integer(fail, 'protocol', route.protocol, 0, 255, 'must be 0..255'),
    priority: route.priority === undefined ? undefined : integer(fail, 'priority', route.priority, 0, 0xff_ff_ff_ff, 'must be 0..4294967295'),
    mtu: mtu(fail, 'mtu', route.mtu),
  });
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
  const fail = failer(operation, neighbour);
  if (typeof neighbour !== 'object' || neighbour === null) return fail('neighbour', neighbour, 'must be an object');
  const fam = family(fail, 'family', neighbour.family);
  return compact({
    family: fam,
    index: index(fail, 'index', neighbour.index),
    address: ipOfFamily(fail, 'address', neighbour.address, fam).address,
    hardwareAddress: neighbour.hardwareAddress === undefined ? undefined : formatMac(macWith(neighbour.hardwareAddress, 'hardwareAddress', fail)),
    state: neighbour.state === undefined ? undefined : oneOf(fail, 'state', neighbour.state, NEIGHBOUR_STATES),
  });
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
  const fail = failer(operation, entry);
  if (typeof entry !== 'object' || entry === null) return fail('entry', entry, 'must be an object');
  return compact({
    index: index(fail, 'index', entry.index),
    hardwareAddress: formatMac(macWith(entry.hardwareAddress, 'hardwareAddress', fail)),
    destination: entry.destination === undefined ? undefined : ipWith(entry.destination, 'destination', fail).address,
    self: boolean(fail, 'self', entry.self),
    master: boolean(fail, 'master', entry.master),
    state: entry.state === undefined ? undefined : oneOf(fail, 'state', entry.state, NEIGHBOUR_STATES),
    vni: entry.vni === undefined ? undefined : integer(fail, 'vni', entry.vni, 0, MAX_VNI, `must be 0..${MAX_VNI}`),
    port: entry.port === undefined ? undefined : integer(fail, 'port', entry.port, 0, 65535, 'must be 0..65535'),
  });
}
