// Prints the model's state as the `ip`/`bridge` commands that would rebuild it on an empty namespace,
// for snapshot tests. Seeded objects (lo, the host's links, their addresses and routes) and the routes
// the kernel derives from addresses (`proto kernel`) are left out: they are not the code's doing.
import type { Address, FdbEntry, Neighbour, Route } from '../types.js';
import { parseIp } from '../validate.js';
import type { KernelModel } from './kernel-model.js';
import { prefixRouteOf } from './kernel-routes.js';
import { IPV6_USER_METRIC, MAIN_TABLE, PROTOCOL_BOOT, PROTOCOL_KERNEL, VXLAN_DEFAULT_PORT, sameRouteKey, type LinkRecord, type Seeded } from './kernel-records.js';

const PROTOCOL_NAMES: Record<number, string> = { 2: 'kernel', 3: 'boot', 4: 'static' };
const SCOPE_NAMES: Record<string, string> = { universe: 'global', site: 'site', link: 'link', host: 'host', nowhere: 'nowhere' };

function isMulticast(address: string): boolean {
  const ip = parseIp(address);
  return ip.family === 4 ? (ip.bytes[0]! & 0xf0) === 0xe0 : ip.bytes[0] === 0xff;
}

function linkCommand(link: LinkRecord, nameOf: (index: number | undefined) => string): string {
  const words = ['ip link add', link.name];
  if (link.explicitMac && link.hardwareAddress) words.push('address', link.hardwareAddress);
  if (link.explicitMtu) words.push('mtu', String(link.mtu));
  words.push('type', link.kind ?? 'unknown');
  if (link.vxlan) {
    const v = link.vxlan;
    words.push('id', String(v.vni));
    if (v.local) words.push('local', v.local);
    if (v.group) words.push(isMulticast(v.group) ? 'group' : 'remote', v.group);
    if (v.underlayIndex !== undefined) words.push('dev', nameOf(v.underlayIndex));
    words.push('dstport', String(v.port || VXLAN_DEFAULT_PORT));
    if (v.learning === false) words.push('nolearning');
    if (v.gbp) words.push('gbp');
    if (v.udpChecksum) words.push('udpcsum');
    if (v.ttl !== undefined) words.push('ttl', String(v.ttl));
    if (v.l2miss) words.push('l2miss');
    if (v.l3miss) words.push('l3miss');
  } else if (link.kind === 'veth' && link.parentIndex !== undefined) {
    words.push('peer name', nameOf(link.parentIndex));
  } else if (link.ipip) {
    const t = link.ipip;
    if (t.local) words.push('local', t.local);
    if (t.remote) words.push('remote', t.remote);
    if (t.ttl !== undefined) words.push('ttl', String(t.ttl));
    if (t.pmtudisc === false) words.push('nopmtudisc');
  }
  return words.join(' ');
}

function addressCommand(a: Address, nameOf: (index: number | undefined) => string): string {
  const words = ['ip addr add', `${a.address}/${a.prefixLength}`, 'dev', nameOf(a.index)];
  if (a.scope && a.scope !== 'universe') words.push('scope', SCOPE_NAMES[a.scope]!);
  if (a.family === 4 && a.label && a.label !== nameOf(a.index)) words.push('label', a.label);
  return words.join(' ');
}

function routeCommand(r: Route, nameOf: (index: number | undefined) => string): string {
  const type = r.type ?? 'unicast';
  const words = ['ip route add'];
  if (type !== 'unicast') words.push(type);
  words.push(r.destination);
  if (r.gateway) words.push('via', r.gateway);
  if (r.index !== undefined) words.push('dev', nameOf(r.index));
  if (r.onlink) words.push('onlink');
  if (r.source) words.push('src', r.source);
  if ((r.table ?? MAIN_TABLE) !== MAIN_TABLE) words.push('table', String(r.table));
  const defaultMetric = r.family === 6 ? IPV6_USER_METRIC : 0;
  if (r.priority !== undefined && r.priority !== defaultMetric) words.push('metric', String(r.priority));
  if ((r.protocol ?? PROTOCOL_BOOT) !== PROTOCOL_BOOT) words.push('proto', PROTOCOL_NAMES[r.protocol!] ?? String(r.protocol));
  // `ip route` picks scope link for device routes and host for local ones; print it where it differs.
  if (r.family === 4) {
    const ipDefault = type === 'local' ? 'host' : r.gateway === undefined && type === 'unicast' ? 'link' : 'universe';
    const scope = r.scope ?? 'universe';
    if (scope !== ipDefault) words.push('scope', SCOPE_NAMES[scope]!);
  }
  if (r.mtu !== undefined) words.push('mtu', String(r.mtu));
  return words.join(' ');
}

function neighbourCommand(n: Neighbour, nameOf: (index: number | undefined) => string): string {
  const words = ['ip neigh replace', n.address, 'dev', nameOf(n.index)];
  if (n.hardwareAddress) words.push('lladdr', n.hardwareAddress);
  words.push('nud', n.state ?? 'permanent');
  return words.join(' ');
}

function fdbCommand(e: FdbEntry, nameOf: (index: number | undefined) => string): string {
  const words = ['bridge fdb append', e.hardwareAddress, 'dev', nameOf(e.index)];
  if (e.self ?? true) words.push('self');
  if (e.master) words.push('master');
  if (e.destination) words.push('dst', e.destination);
  if (e.vni !== undefined) words.push('vni', String(e.vni));
  if (e.port !== undefined) words.push('port', String(e.port));
  words.push((e.state ?? 'permanent') === 'permanent' ? 'permanent' : 'dynamic');
  return words.join(' ');
}

/** Prefix routes the kernel made for an address on an up link that someone has since deleted. */
function deletedPrefixRoutes(model: KernelModel): Route[] {
  const missing: Route[] = [];
  for (const address of model.addresses) {
    const link = model.links.get(address.index);
    const route = prefixRouteOf(address);
    if (!link?.up || link.loopback || !route) continue;
    if (!model.routes.some((r) => sameRouteKey(r, route) && r.index === route.index)) missing.push(route);
  }
  return missing;
}

const notSeed = <T>(item: Seeded<T>): boolean => !item.seed;
const sorted = (lines: string[]): string[] => lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The model as `ip`/`bridge` commands, in a fixed order (links, VXLAN links, masters, link up,
 * addresses, routes, deleted kernel prefix routes, neighbours, FDB) and sorted within each group, so equal states print equal lines
 * and the lines replayed on an empty namespace rebuild the state.
 */
export function printCommands(model: KernelModel): string[] {
  const nameOf = (index: number | undefined): string => (index === undefined ? '?' : model.links.get(index)?.name ?? `if${index}`);
  const links = [...model.links.values()].filter((l) => !l.seed && !l.loopback);
  return [
    // VXLAN devices after the others: their underlay must exist first.
    ...sorted(links.filter((l) => !l.peer && !l.vxlan).map((l) => linkCommand(l, nameOf))),
    ...sorted(links.filter((l) => !l.peer && l.vxlan).map((l) => linkCommand(l, nameOf))),
    ...sorted(links.filter((l) => l.masterIndex !== undefined).map((l) => `ip link set ${l.name} master ${nameOf(l.masterIndex)}`)),
    ...sorted(links.filter((l) => l.up).map((l) => `ip link set ${l.name} up`)),
    ...sorted(model.addresses.filter(notSeed).map((a) => addressCommand(a, nameOf))),
    ...sorted(model.routes.filter((r) => notSeed(r) && r.protocol !== PROTOCOL_KERNEL).map((r) => routeCommand(r, nameOf))),
    ...sorted(deletedPrefixRoutes(model).map((r) => `ip route del ${r.destination} dev ${nameOf(r.index)}`)),
    ...sorted(model.neighbours.filter(notSeed).map((n) => neighbourCommand(n, nameOf))),
    ...sorted(model.fdb.filter(notSeed).map((e) => fdbCommand(e, nameOf))),
  ];
}
