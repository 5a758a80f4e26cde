// Reconcile, don't replay: leases → desiredVxlanState → diffVxlanState(desired, actual) → Netlink.batch.
// Both functions are pure, so the benchmark and the daemon can reuse them and tests need no fakes.
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import type { Family, FdbEntry, Neighbour, NetlinkOperation, Route } from '@flannel-ts/netlink';
import { FLANNEL_ROUTE_PROTOCOL, isOwnedRoute, routeAddressKey, routeDestinationKey, routeMatches } from '@flannel-ts/route-network';
import type { RouteOwnership } from '@flannel-ts/route-network';
import { decodeVxlanLeaseData } from './vxlan-lease-data.js';

/** The `flannel.<VNI>` (or `flannel-v6.<VNI>`) device entries are programmed on. */
export interface VxlanDeviceRef {
  readonly family: Family;
  /** Interface index of the vxlan device. */
  readonly index: number;
}

/** What the kernel must hold for one remote host. */
export interface VxlanPeer {
  /** The remote subnet (`10.5.34.0/24`). */
  readonly subnet: string;
  /** The remote underlay address (`PublicIP` / `PublicIPv6`). */
  readonly publicIP: string;
  /** ARP/NDP entry: remote subnet address → remote VTEP MAC. Absent for a direct route. */
  readonly neighbour?: Neighbour;
  /** FDB entry: remote VTEP MAC → remote PublicIP. Absent for a direct route. */
  readonly fdb?: FdbEntry;
  /** `<subnet> via <subnet address> dev flannel.<VNI> onlink`, or `<subnet> via <PublicIP>` when direct. */
  readonly route: Route;
}

/** A lease that yields no entries, and why (foreign backend type, bad data, other family). */
export interface IgnoredLease {
  readonly lease: Lease;
  readonly reason: string;
  /** `debug` for expected cases (another backend type, no subnet of this family), `warn` for bad data. */
  readonly level: 'debug' | 'warn';
}

/** The entries flannel wants for a set of remote leases. */
export interface VxlanDesiredState {
  readonly device: VxlanDeviceRef;
  /** One per usable lease, ordered by subnet. */
  readonly peers: readonly VxlanPeer[];
  readonly ignored: readonly IgnoredLease[];
}

/** Options of {@link desiredVxlanState}. */
export interface DesiredVxlanOptions {
  /**
   * DirectRouting: true when the remote PublicIP is directly reachable (`ip route get` gives one route
   * without gateway). Such peers get a plain route via their PublicIP and no neighbour/FDB entry.
   */
  readonly isDirect?: (publicIP: string) => boolean;
  /**
   * The peers programmed so far, by subnet: a peer that would come out equal is taken from here instead of
   * being built again, so a full pass over an unchanged lease set allocates no entries and the programmed
   * model keeps its objects (under churn, re-built peers were promoted and thrown away every 10 s).
   */
  readonly previous?: ReadonlyMap<string, VxlanPeer>;
}

/**
 * The neighbour, FDB and route entries for every remote vxlan lease of the device's family
 * (`pkg/backend/vxlan/vxlan_network.go`). Leases of another `BackendType`, without a subnet of this family, or with unusable
 * `PublicIP`/`BackendData` are listed in `ignored` instead. Pass remote leases only.
 *
 * @example
 * ```ts
 * const desired = desiredVxlanState(leases, { family: 4, index: 7 });
 * desired.peers[0]?.route; // { destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 7, onlink: true, … }
 * ```
 */
export function desiredVxlanState(
  leases: Iterable<Lease>,
  device: VxlanDeviceRef,
  options: DesiredVxlanOptions = {},
): VxlanDesiredState {
  const peers: Array<{ readonly net: IpNet; readonly peer: VxlanPeer }> = [];
  const ignored: IgnoredLease[] = [];
  const v6 = device.family === 6;
  const list = Array.isArray(leases) ? (leases as readonly Lease[]) : [...leases];
  for (let i = 0; i < list.length; i += 1) {
    const lease = list[i]!;
    const attributes = lease.attributes;
    if (attributes.backendType !== 'vxlan') {
      ignored.push({ lease, reason: `BackendType ${JSON.stringify(attributes.backendType ?? '')} is not vxlan`, level: 'debug' });
      continue;
    }
    const subnet = v6 ? lease.ipv6Subnet : lease.subnet;
    if (subnet === undefined || subnet.family !== device.family) {
      ignored.push({ lease, reason: `no IPv${device.family} subnet`, level: 'debug' });
      continue;
    }
    const rawIP = v6 ? attributes.publicIPv6 : attributes.publicIP;
    const publicIP = canonical(rawIP, device.family);
    if (publicIP === undefined || isUnspecified(publicIP)) {
      const reason = `${v6 ? 'PublicIPv6' : 'PublicIP'} ${JSON.stringify(rawIP ?? null)} is invalid: must be an IPv${device.family} address`;
      ignored.push({ lease, reason, level: 'warn' });
      continue;
    }
    if (options.isDirect?.(publicIP) === true) {
      peers.push({ net: subnet, peer: { subnet: subnet.toString(), publicIP, route: { family: device.family, destination: subnet.toString(), gateway: publicIP, protocol: FLANNEL_ROUTE_PROTOCOL } } });
      continue;
    }
    const backendData = v6 ? attributes.backendV6Data : attributes.backendData;
    const data = decodeVxlanLeaseData(backendData);
    if (!data.ok) {
      ignored.push({ lease, reason: v6 ? data.error.replace(/^BackendData/, 'BackendV6Data') : data.error, level: 'warn' });
      continue;
    }
    const mac = data.value.vtepMac;
    const destination = subnet.toString();
    const previous = options.previous?.get(destination);
    if (
      previous?.neighbour !== undefined &&
      previous.publicIP === publicIP &&
      previous.neighbour.hardwareAddress === mac &&
      previous.neighbour.index === device.index &&
      previous.neighbour.family === device.family
    ) {
      peers.push({ net: subnet, peer: previous });
      continue;
    }
    peers.push({
      net: subnet,
      peer: {
        subnet: destination,
        publicIP,
        neighbour: { family: device.family, index: device.index, address: subnet.address, hardwareAddress: mac, state: 'permanent' },
        fdb: { index: device.index, hardwareAddress: mac, destination: publicIP, self: true, state: 'permanent' },
        route: { family: device.family, destination, gateway: subnet.address, index: device.index, scope: 'universe', onlink: true, protocol: FLANNEL_ROUTE_PROTOCOL },
      },
    });
  }
  peers.sort((a, b) => IpNet.compare(a.net, b.net));
  return { device, peers: peers.map((entry) => entry.peer), ignored };
}

/** The kernel entries a vxlan network owns (see {@link ownedVxlanEntries}). */
export interface VxlanKernelState {
  readonly neighbours: readonly Neighbour[];
  readonly fdb: readonly FdbEntry[];
  readonly routes: readonly Route[];
}

/** What to change so the kernel matches the desired state, grouped so a failed peer can be rolled back. */
export interface VxlanStateDiff {
  /** Routes to subnets no longer wanted; deleted first. */
  readonly staleRoutes: readonly Route[];
  /** Per peer, what to (re)write, in flannel's order: neighbour, FDB, route (so the kernel never ARPs). */
  readonly peers: readonly { readonly subnet: string; readonly operations: readonly NetlinkOperation[] }[];
  /** FDB entries no longer wanted; deleted after the routes that used them. */
  readonly staleFdb: readonly FdbEntry[];
  /** Neighbour entries no longer wanted; deleted last. */
  readonly staleNeighbours: readonly Neighbour[];
}

/**
 * Compares the desired entries with the ones the kernel holds (already narrowed to the network's own
 * entries by {@link ownedVxlanEntries}) and lists what to replace and delete. Entries are keyed as the
 * kernel keys them: neighbours by address, FDB entries by MAC, routes by destination.
 *
 * @example
 * ```ts
 * const diff = diffVxlanState(desired, { neighbours: [], fdb: [], routes: [] });
 * await netlink.batch(vxlanDiffOperations(diff));
 * ```
 */
export function diffVxlanState(desired: VxlanDesiredState, actual: VxlanKernelState): VxlanStateDiff {
  // One Map per kind keyed by a compact string, filled in one loop (no intermediate tuple arrays).
  const neighbours = new Map<string, Neighbour>();
  for (const entry of actual.neighbours) neighbours.set(routeAddressKey(entry.address), entry);
  const fdb = new Map<string, FdbEntry>();
  for (const entry of actual.fdb) fdb.set(entry.hardwareAddress.toLowerCase(), entry);
  const routes = new Map<string, Route>();
  for (const route of actual.routes) routes.set(routeDestinationKey(route.destination), route);
  return diffVxlanKernel(desired, { neighbours, fdb, routes });
}

/**
 * The kernel entries a vxlan network owns, keyed as the kernel keys them: neighbours by
 * `routeAddressKey(address)`, FDB entries by lower-case MAC, routes by `routeDestinationKey(destination)`.
 * A full pass builds it while the dumps are decoded (`VxlanKernelReader`), so the dumps are never held.
 */
export interface VxlanKernelIndex {
  readonly neighbours: Map<string, Neighbour>;
  readonly fdb: Map<string, FdbEntry>;
  readonly routes: Map<string, Route>;
}

/**
 * {@link diffVxlanState} against the kernel's entries already keyed ({@link VxlanKernelIndex}), which it takes
 * over: each entry a desired peer looks up is taken out of it (its value set to `undefined`), so what is left is
 * stale and no set of wanted keys is built (three sets of 5,000 keys on a full pass). Two desired peers with one
 * key (leases screened for conflicts never have them) would see the second rewritten.
 *
 * @example
 * ```ts
 * const diff = diffVxlanKernel(desired, { neighbours: new Map(), fdb: new Map(), routes: new Map() });
 * ```
 */
export function diffVxlanKernel(desired: VxlanDesiredState, actual: VxlanKernelIndex): VxlanStateDiff {
  const { neighbours, fdb, routes } = actual;
  const peers: Array<{ subnet: string; operations: NetlinkOperation[] }> = [];

  // Against a kind the kernel holds none of (a cold start, or every entry already taken) every entry is written,
  // so its keys are not computed.
  for (let i = 0; i < desired.peers.length; i += 1) {
    const peer = desired.peers[i]!;
    let writeNeighbour = false;
    let writeFdb = false;
    if (peer.neighbour !== undefined) {
      const actualNeighbour = neighbours.size === 0 ? undefined : take(neighbours, routeAddressKey(peer.neighbour.address));
      writeNeighbour = !neighbourMatches(peer.neighbour, actualNeighbour);
    }
    if (peer.fdb !== undefined) {
      const actualFdb = fdb.size === 0 ? undefined : take(fdb, peer.fdb.hardwareAddress.toLowerCase());
      writeFdb = !fdbMatches(peer.fdb, actualFdb);
    }
    const actualRoute = routes.size === 0 ? undefined : take(routes, routeDestinationKey(peer.route.destination));
    const writeRoute = !routeMatches(peer.route, actualRoute);
    if (writeNeighbour || writeFdb || writeRoute) peers.push({ subnet: peer.subnet, operations: peerOperations(peer, writeNeighbour, writeFdb, writeRoute) });
  }

  return { staleRoutes: left(routes), peers, staleFdb: left(fdb), staleNeighbours: left(neighbours) };
}

/** A peer's writes in flannel's order (neighbour, FDB, route); the common all-three case as one exact-size array. */
function peerOperations(peer: VxlanPeer, neighbour: boolean, fdb: boolean, route: boolean): NetlinkOperation[] {
  if (neighbour && fdb && route) {
    return [
      { op: 'replaceNeighbour', neighbour: peer.neighbour! },
      { op: 'replaceFdb', entry: peer.fdb! },
      { op: 'replaceRoute', route: peer.route },
    ];
  }
  const operations: NetlinkOperation[] = [];
  if (neighbour) operations.push({ op: 'replaceNeighbour', neighbour: peer.neighbour! });
  if (fdb) operations.push({ op: 'replaceFdb', entry: peer.fdb! });
  if (route) operations.push({ op: 'replaceRoute', route: peer.route });
  return operations;
}

/**
 * Takes the entry of `key` out of `entries` and returns it. The key stays, with `undefined`: deleting thousands
 * of keys one by one makes V8 shrink and rebuild the table again and again.
 */
function take<T>(entries: Map<string, T>, key: string): T | undefined {
  const entry = entries.get(key);
  if (entry !== undefined) entries.set(key, undefined as T);
  return entry;
}

/** The entries {@link take} left. */
function left<T>(entries: ReadonlyMap<string, T>): T[] {
  const stale: T[] = [];
  entries.forEach((entry) => {
    if (entry !== undefined) stale.push(entry);
  });
  return stale;
}

/**
 * The diff as one ordered list of operations for `Netlink.batch`: stale routes, then each peer's
 * neighbour/FDB/route, then stale FDB entries, then stale neighbours.
 */
export function vxlanDiffOperations(diff: VxlanStateDiff): NetlinkOperation[] {
  return [
    ...diff.staleRoutes.map((route): NetlinkOperation => ({ op: 'deleteRoute', route })),
    ...diff.peers.flatMap((peer) => peer.operations),
    ...diff.staleFdb.map((entry): NetlinkOperation => ({ op: 'deleteFdb', entry })),
    ...diff.staleNeighbours.map((neighbour): NetlinkOperation => ({ op: 'deleteNeighbour', neighbour })),
  ];
}

/** Which kernel entries a vxlan network may delete: everything on its device, and its own direct routes. */
export interface VxlanOwnership {
  readonly device: VxlanDeviceRef;
  /** Index of the external interface; give it only with DirectRouting on (direct routes go out through it). */
  readonly externalIndex?: number;
  /** The flannel network of this family: routes outside it are never owned. */
  readonly network?: IpNet;
  /** The node's own subnet, never owned. */
  readonly ownSubnet?: IpNet;
  /** Canonical PublicIPs of the peers routed directly now: an unmarked direct route via one of them is ours. */
  readonly knownGateways?: ReadonlySet<string>;
}

/**
 * Narrows what the kernel lists to the entries this network owns: permanent neighbours and FDB
 * entries with a destination on the vxlan device, routes through the device, and — with DirectRouting —
 * routes through the external interface into the network that carry flannel-ts's proto mark or go via
 * a directly-routed peer's PublicIP (the shared rule of `@flannel-ts/route-network`'s `isOwnedRoute`).
 * An operator's route via the underlay gateway on the external interface is never owned.
 */
export function ownedVxlanEntries(kernel: VxlanKernelState, ownership: VxlanOwnership): VxlanKernelState {
  return {
    neighbours: kernel.neighbours.filter((entry) => isOwnedVxlanNeighbour(entry, ownership)),
    fdb: kernel.fdb.filter((entry) => isOwnedVxlanFdb(entry, ownership)),
    routes: kernel.routes.filter(vxlanRouteOwner(ownership)),
  };
}

/** {@link ownedVxlanEntries}'s rule for one neighbour: a permanent entry on the device. */
export function isOwnedVxlanNeighbour(entry: Neighbour, ownership: VxlanOwnership): boolean {
  const { device } = ownership;
  return entry.index === device.index && entry.family === device.family && (entry.state ?? 'permanent') === 'permanent';
}

/** {@link ownedVxlanEntries}'s rule for one FDB entry: a permanent `self` entry on the device with a remote VTEP. */
export function isOwnedVxlanFdb(entry: FdbEntry, ownership: VxlanOwnership): boolean {
  return (
    entry.index === ownership.device.index &&
    entry.destination !== undefined &&
    entry.self !== false &&
    entry.master !== true &&
    (entry.state ?? 'permanent') === 'permanent'
  );
}

/** {@link ownedVxlanEntries}'s rule for one route (see {@link VxlanOwnership}); for many routes, {@link vxlanRouteOwner}. */
export function isOwnedVxlanRoute(route: Route, ownership: VxlanOwnership): boolean {
  return vxlanRouteOwner(ownership)(route);
}

/**
 * `isOwnedVxlanRoute` for one ownership, its `RouteOwnership` options built once per dump rather than per
 * route (two object spreads per route, in a 5,000-route dump, were a measurable part of a check's garbage).
 *
 * @example
 * ```ts
 * const owned = routes.filter(vxlanRouteOwner(ownership));
 * ```
 */
export function vxlanRouteOwner(ownership: VxlanOwnership): (route: Route) => boolean {
  const { device, network } = ownership;
  if (network === undefined) {
    // Without the network only the device's own routes can be told apart.
    return (route) =>
      route.gateway !== undefined && route.family === device.family && route.index === device.index && (route.table ?? 254) === 254 && (route.type ?? 'unicast') === 'unicast';
  }
  const shared = { family: device.family, network, ...(ownership.ownSubnet === undefined ? {} : { ownSubnet: ownership.ownSubnet }) };
  const onDevice: RouteOwnership = { ...shared, index: device.index, deviceOwned: true };
  const { externalIndex } = ownership;
  const onExternal: RouteOwnership | undefined =
    externalIndex === undefined
      ? undefined
      : { ...shared, index: externalIndex, deviceOwned: false, ...(ownership.knownGateways === undefined ? {} : { knownGateways: ownership.knownGateways }) };
  return (route) => {
    if (route.gateway === undefined) return false;
    if (route.index === device.index) return isOwnedRoute(route, onDevice);
    return onExternal !== undefined && route.index === externalIndex && isOwnedRoute(route, onExternal);
  };
}

function neighbourMatches(desired: Neighbour, actual: Neighbour | undefined): boolean {
  return (
    actual !== undefined &&
    actual.hardwareAddress?.toLowerCase() === desired.hardwareAddress &&
    (actual.state ?? 'permanent') === 'permanent'
  );
}

function fdbMatches(desired: FdbEntry, actual: FdbEntry | undefined): boolean {
  return actual !== undefined && actual.destination !== undefined && routeAddressKey(actual.destination) === routeAddressKey(desired.destination ?? '');
}

function canonical(text: string | undefined, family: Family): string | undefined {
  if (text === undefined) return undefined;
  if (family === 4 && CANONICAL_IPV4.test(text)) return text;
  try {
    return IpNet.canonicalAddress(text, family);
  } catch {
    return undefined;
  }
}

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** A dotted quad without leading zeros: already canonical. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
