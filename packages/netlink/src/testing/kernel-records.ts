// The records the in-memory kernel model keeps, the pure helpers that compare and convert them, and
// the kernel-style error every model operation throws.
import { errnoNumber, type ErrnoName } from '../errno.js';
import { netlinkErrorFromErrno } from '../errors.js';
import type { Address, FdbEntry, Link, Neighbour, Route, VxlanAttributes } from '../types.js';
import { cidrContains, parseCidr } from '../validate.js';

/** A link as the model stores it. */
export interface LinkRecord {
  index: number;
  name: string;
  kind?: string;
  mtu: number;
  hardwareAddress?: string;
  up: boolean;
  masterIndex?: number;
  parentIndex?: number;
  vxlan?: VxlanAttributes;
  ipip?: Link['ipip'];
  loopback: boolean;
  /** Present before the code under test ran (seeded); not printed by `toCommands`. */
  seed: boolean;
  /** Created as the peer of a veth pair (printed with its pair). */
  peer?: boolean;
  /** MTU / MAC were set explicitly (printed), not the kernel's default. */
  explicitMtu?: boolean;
  explicitMac?: boolean;
}

/** Records carry a seed marker beside the public object. */
export type Seeded<T> = T & { seed?: boolean };

/** `RTPROT_KERNEL`: routes the kernel derives from addresses. */
export const PROTOCOL_KERNEL = 2;
/** `RTPROT_BOOT`: what `ip route add` sends. */
export const PROTOCOL_BOOT = 3;
/** `RT_TABLE_MAIN` */
export const MAIN_TABLE = 254;
/** IPv6 metric of user routes when none is given (`IP6_RT_PRIO_USER`). */
export const IPV6_USER_METRIC = 1024;
/** IPv6 metric of prefix routes the kernel adds for addresses (`IP6_RT_PRIO_ADDRCONF`). */
export const IPV6_ADDRCONF_METRIC = 256;
/** Default VXLAN UDP port on Linux (IANA's is 4789; the kernel keeps the pre-standard 8472). */
export const VXLAN_DEFAULT_PORT = 8472;

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_LOOPBACK = 0x8;
const IFF_RUNNING = 0x40;
const IFF_NOARP = 0x80;
const IFF_MULTICAST = 0x1000;
const IFF_LOWER_UP = 0x1_00_00;

/** The public `Link` of a record, with the kernel's VXLAN defaults filled in. */
export function toLink(record: LinkRecord): Link {
  let flags = record.loopback ? IFF_LOOPBACK : record.kind === 'tun' || record.kind === 'ipip' ? IFF_NOARP : IFF_BROADCAST | IFF_MULTICAST;
  if (record.up) flags |= IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
  const link: Record<string, unknown> = {
    index: record.index,
    name: record.name,
    kind: record.kind,
    mtu: record.mtu,
    hardwareAddress: record.hardwareAddress,
    up: record.up,
    flags,
    operState: record.up ? 'unknown' : 'down',
    masterIndex: record.masterIndex,
    parentIndex: record.parentIndex,
    ipip: record.ipip,
  };
  if (record.vxlan) {
    const v = record.vxlan;
    link.vxlan = dropUndefined({
      vni: v.vni,
      local: v.local,
      group: v.group,
      underlayIndex: v.underlayIndex,
      port: v.port || VXLAN_DEFAULT_PORT,
      learning: v.learning ?? true,
      gbp: v.gbp ? true : undefined,
      udpChecksum: v.udpChecksum ?? false,
      ttl: v.ttl ?? 0,
      l2miss: v.l2miss ?? false,
      l3miss: v.l3miss ?? false,
    });
  }
  return publicCopy(link) as unknown as Link;
}

/** Removes `undefined` members. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A public copy of a record: no `undefined` members and no internal `seed` marker. */
export function publicCopy<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => v !== undefined && k !== 'seed')) as T;
}

/** Kernel identity of an address: IPv4 by (link, address, prefix), IPv6 by (link, address). */
export function sameAddress(a: Address, b: Address): boolean {
  if (a.family !== b.family || a.index !== b.index || a.address !== b.address) return false;
  return a.family === 6 || a.prefixLength === b.prefixLength;
}

/** The metric the kernel stores for a route when none was given. */
export function effectivePriority(route: Route): number {
  return route.priority ?? (route.family === 6 ? IPV6_USER_METRIC : 0);
}

/** Kernel identity of a route: (family, table, destination, tos = 0, priority). */
export function sameRouteKey(a: Route, b: Route): boolean {
  return (
    a.family === b.family &&
    (a.table ?? MAIN_TABLE) === (b.table ?? MAIN_TABLE) &&
    a.destination === b.destination &&
    effectivePriority(a) === effectivePriority(b)
  );
}

/**
 * What `ip route del` matches: the key fields, and every optional field the request gives (gateway,
 * device, metric, type, protocol, scope, source).
 */
export function routeMatchesDelete(stored: Route, request: Route): boolean {
  if (stored.family !== request.family || stored.destination !== request.destination) return false;
  if ((stored.table ?? MAIN_TABLE) !== (request.table ?? MAIN_TABLE)) return false;
  if (request.priority !== undefined && effectivePriority(stored) !== request.priority) return false;
  if (request.gateway !== undefined && stored.gateway !== request.gateway) return false;
  if (request.index !== undefined && stored.index !== request.index) return false;
  if (request.type !== undefined && (stored.type ?? 'unicast') !== request.type) return false;
  if (request.protocol !== undefined && stored.protocol !== request.protocol) return false;
  if (request.source !== undefined && stored.source !== request.source) return false;
  if (request.scope !== undefined && (stored.scope ?? 'universe') !== request.scope) return false;
  return true;
}

/** Kernel identity of a neighbour: (family, link, address). */
export function sameNeighbour(a: Neighbour, b: Neighbour): boolean {
  return a.family === b.family && a.index === b.index && a.address === b.address;
}

/** Identity of an FDB entry in the model: (link, MAC). VXLAN `replace` keeps one remote per MAC. */
export function sameFdb(a: FdbEntry, b: FdbEntry): boolean {
  return a.index === b.index && a.hardwareAddress === b.hardwareAddress;
}

/** Shallow equality of two plain records (ignoring `seed`). */
export function sameContent(a: object, b: object): boolean {
  const x = publicCopy(a) as Record<string, unknown>;
  const y = publicCopy(b) as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]));
}

/**
 * Longest-prefix match over `routes` for `address` (same family), lowest metric first among equals.
 */
export function longestPrefixMatch<T extends Route>(routes: readonly T[], address: string, family: 4 | 6): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const route of routes) {
    if (route.family !== family || !cidrContains(route.destination, address)) continue;
    const length = parseCidr(route.destination).prefixLength;
    if (length > bestLength || (length === bestLength && best && effectivePriority(route) < effectivePriority(best))) {
      best = route;
      bestLength = length;
    }
  }
  return best;
}

/** Context of one call: its operation name, sequence number and request (for errors). */
export interface CallContext {
  readonly operation: string;
  readonly sequence: number;
  readonly request: unknown;
}

/** Throws the NetlinkError the kernel implementation would raise for `name`. */
export function kernelError(context: CallContext, name: ErrnoName, extendedAck?: string): never {
  throw netlinkErrorFromErrno({
    operation: context.operation,
    errno: errnoNumber(name),
    sequence: context.sequence,
    request: context.request,
    extendedAck,
  });
}
