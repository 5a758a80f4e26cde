// A full pass's read of one vxlan device, streamed into the keyed form its diff takes (`VxlanKernelIndex`).
// With 5,000 peers the three dumps hold 15,000 entries; holding them decoded until the diff was most of what a
// periodic check and a restart added to the daemon's peak RSS (bench/kube-daemon-coldstart.ts, figures in
// docs/benchmarks.md). Instead each entry is looked at as the dump decodes it
// (netlink's `DumpVisitor`): one the network does not own is dropped, and one equal to the entry the pass
// expects (from the leases known when the read starts) is filed as that expected object, which is alive
// anyway, so the decoded copy dies young. Only entries that differ are kept. The expected entries are built
// when the first owned entry arrives: a cold start's empty device never needs them. "Equal" here is strict: every
// field the diff compares and a delete request sends, so the expected object can stand in for the kernel's
// entry whatever the desired set turns out to be once the apply phase reads the leases.
import type { DumpVisitor, FdbEntry, Neighbour, Route } from '@flannel-ts/netlink';
import { routeAddressKey, routeDestinationKey } from '@flannel-ts/route-network';
import type { VxlanPeer } from './vxlan-state.js';
import { isOwnedVxlanFdb, isOwnedVxlanNeighbour, vxlanRouteOwner } from './vxlan-state.js';
import type { VxlanKernelIndex, VxlanOwnership } from './vxlan-state.js';

/** The entries a full pass expects on a device, keyed as the kernel keys them. */
export interface VxlanExpectedEntries {
  /** By remote subnet (`VxlanPeer.subnet`, which is its route's destination key). */
  readonly peers: ReadonlyMap<string, VxlanPeer>;
  readonly neighbours: ReadonlyMap<string, Neighbour>;
  readonly fdb: ReadonlyMap<string, FdbEntry>;
}

/**
 * Indexes the peers a full pass expects to find (its desired state as the leases stand when it starts reading).
 *
 * @example
 * ```ts
 * const expected = expectedVxlanEntries(desiredVxlanState(pass.leases, device, { previous: programmed }).peers);
 * expected.peers.get('10.5.34.0/24')?.route;
 * ```
 */
export function expectedVxlanEntries(peers: readonly VxlanPeer[]): VxlanExpectedEntries {
  const byPeer = new Map<string, VxlanPeer>();
  const neighbours = new Map<string, Neighbour>();
  const fdb = new Map<string, FdbEntry>();
  for (const peer of peers) {
    byPeer.set(peer.subnet, peer);
    if (peer.neighbour !== undefined) neighbours.set(routeAddressKey(peer.neighbour.address), peer.neighbour);
    if (peer.fdb !== undefined) fdb.set(peer.fdb.hardwareAddress.toLowerCase(), peer.fdb);
  }
  return { peers: byPeer, neighbours, fdb };
}

/**
 * Builds a device's {@link VxlanKernelIndex} from its three dumps as they are decoded: hand `neighbours`,
 * `fdb` and `routes` to `listNeighbours`, `listFdb` and `listRoutes` as `visit`, then read `index`. Entries
 * the network does not own (`ownership`) are left out; an owned entry equal to the expected one of its key is
 * filed as the expected object. `expect` is called once, when the first owned entry arrives (never for an
 * empty device). Within one kind the last entry of a key wins, as in `diffVxlanState`.
 *
 * @example
 * ```ts
 * const reader = new VxlanKernelReader(() => expectedVxlanEntries(peers), ownership);
 * await netlink.listNeighbours({ family: 4, index, visit: reader.neighbours });
 * await netlink.listFdb({ index, visit: reader.fdb });
 * await netlink.listRoutes({ family: 4, visit: reader.routes });
 * diffVxlanKernel(desired, reader.index);
 * ```
 */
export class VxlanKernelReader {
  /** What the dumps read so far hold, as the diff takes it. */
  readonly index: VxlanKernelIndex = { neighbours: new Map(), fdb: new Map(), routes: new Map() };
  readonly neighbours: DumpVisitor<Neighbour>;
  readonly fdb: DumpVisitor<FdbEntry>;
  readonly routes: DumpVisitor<Route>;
  #expected: VxlanExpectedEntries | undefined;

  constructor(expect: () => VxlanExpectedEntries, ownership: VxlanOwnership) {
    const { neighbours, fdb, routes } = this.index;
    const owns = vxlanRouteOwner(ownership);
    const expected = (): VxlanExpectedEntries => (this.#expected ??= expect());
    this.neighbours = {
      entry(entry) {
        if (!isOwnedVxlanNeighbour(entry, ownership)) return;
        const key = routeAddressKey(entry.address);
        const want = expected().neighbours.get(key);
        neighbours.set(key, want !== undefined && sameNeighbour(entry, want) ? want : entry);
      },
      restart: () => neighbours.clear(),
    };
    this.fdb = {
      entry(entry) {
        if (!isOwnedVxlanFdb(entry, ownership)) return;
        const key = entry.hardwareAddress.toLowerCase();
        const want = expected().fdb.get(key);
        fdb.set(key, want !== undefined && sameFdb(entry, want) ? want : entry);
      },
      restart: () => fdb.clear(),
    };
    this.routes = {
      entry(route) {
        if (!owns(route)) return;
        const key = routeDestinationKey(route.destination);
        const want = expected().peers.get(key)?.route;
        routes.set(key, want !== undefined && sameRoute(route, want) ? want : route);
      },
      restart: () => routes.clear(),
    };
  }

  /** The expected entries, once an owned entry has needed them; `undefined` while every dump read was empty. */
  get expected(): VxlanExpectedEntries | undefined {
    return this.#expected;
  }
}

/**
 * Whether `expected` may stand in for the kernel's `entry` (same key): the same device, family, MAC and state,
 * which is all `diffVxlanState` compares and a delete sends.
 *
 * @example
 * ```ts
 * sameNeighbour(dumped, peer.neighbour); // true: the dumped copy can be dropped
 * ```
 */
export function sameNeighbour(entry: Neighbour, expected: Neighbour): boolean {
  return (
    entry.family === expected.family &&
    entry.index === expected.index &&
    entry.hardwareAddress?.toLowerCase() === expected.hardwareAddress &&
    (entry.state ?? 'permanent') === (expected.state ?? 'permanent')
  );
}

/**
 * Whether `expected` may stand in for the kernel's FDB `entry` (same MAC): the same device, remote VTEP,
 * flags, state, VNI and port.
 *
 * @example
 * ```ts
 * sameFdb(dumped, peer.fdb); // true: the dumped copy can be dropped
 * ```
 */
export function sameFdb(entry: FdbEntry, expected: FdbEntry): boolean {
  return (
    entry.index === expected.index &&
    entry.hardwareAddress.toLowerCase() === expected.hardwareAddress.toLowerCase() &&
    entry.destination !== undefined &&
    expected.destination !== undefined &&
    routeAddressKey(entry.destination) === routeAddressKey(expected.destination) &&
    (entry.self ?? true) === (expected.self ?? true) &&
    (entry.master ?? false) === (expected.master ?? false) &&
    (entry.state ?? 'permanent') === (expected.state ?? 'permanent') &&
    entry.vni === expected.vni &&
    entry.port === expected.port
  );
}

/**
 * Whether `expected` may stand in for the kernel's `route` (same destination): every attribute a route has
 * is equal, the kernel's defaults (main table, unicast, universe scope, `boot` protocol) filled in.
 *
 * @example
 * ```ts
 * sameRoute(dumped, peer.route); // true: the dumped copy can be dropped
 * ```
 */
export function sameRoute(route: Route, expected: Route): boolean {
  return (
    route.family === expected.family &&
    routeAddressKey(route.gateway) === routeAddressKey(expected.gateway) &&
    route.index === expected.index &&
    route.source === expected.source &&
    (route.scope ?? 'universe') === (expected.scope ?? 'universe') &&
    (route.table ?? 254) === (expected.table ?? 254) &&
    (route.type ?? 'unicast') === (expected.type ?? 'unicast') &&
    (route.onlink ?? false) === (expected.onlink ?? false) &&
    (route.protocol ?? 3) === (expected.protocol ?? 3) &&
    route.priority === expected.priority &&
    route.mtu === expected.mtu
  );
}
