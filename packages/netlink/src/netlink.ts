// CONTRACT — the rtnetlink operations. `NetlinkSocket`-backed `createNetlink()` implements it against the
// kernel; `RecordingNetlink` (`@flannel-ts/netlink/testing`) against an in-memory kernel model.
import type { Address, Family, FdbEntry, Link, LinkChanges, LinkSpec, Neighbour, Route } from './types.js';

/** A link reference: its name or its index. */
export type LinkRef = string | number;

/** One operation of a {@link Netlink.batch}. */
export type NetlinkOperation =
  | { readonly op: 'addAddress'; readonly address: Address }
  | { readonly op: 'deleteAddress'; readonly address: Address }
  | { readonly op: 'addRoute'; readonly route: Route }
  | { readonly op: 'replaceRoute'; readonly route: Route }
  | { readonly op: 'deleteRoute'; readonly route: Route }
  | { readonly op: 'replaceNeighbour'; readonly neighbour: Neighbour }
  | { readonly op: 'deleteNeighbour'; readonly neighbour: Neighbour }
  | { readonly op: 'replaceFdb'; readonly entry: FdbEntry }
  | { readonly op: 'deleteFdb'; readonly entry: FdbEntry };

/** Outcome of one batched operation, in request order. */
export type BatchResult = { readonly ok: true } | { readonly ok: false; readonly error: Error };

/** A kernel notification. */
export type NetlinkEvent =
  | { readonly type: 'newlink' | 'dellink'; readonly link: Link }
  | { readonly type: 'newaddr' | 'deladdr'; readonly address: Address }
  | { readonly type: 'newroute' | 'delroute'; readonly route: Route }
  | { readonly type: 'newneigh' | 'delneigh'; readonly neighbour: Neighbour }
  | { readonly type: 'newfdb' | 'delfdb'; readonly entry: FdbEntry };

/** Multicast groups to subscribe to. */
export type NetlinkGroup = 'link' | 'ipv4-address' | 'ipv6-address' | 'ipv4-route' | 'ipv6-route' | 'neighbour';

/**
 * Options of {@link Netlink.subscribe}.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const events = netlink.subscribe(['ipv4-route'], {
 *   signal: controller.signal,
 *   filter: (event) => !('route' in event) || event.route.table === 254, // main table only
 * });
 * ```
 */
export interface SubscribeOptions {
  /** Ends the subscription (the iteration finishes, queued events are dropped, the socket closes). */
  readonly signal: AbortSignal;
  /**
   * Keeps only the events it returns true for; the others are dropped before queuing (they do not count against
   * `maxQueuedEvents`). Route events arrive from every table — `local` (255) included, where the kernel adds a
   * route for each local address — so a consumer that cares about one table filters on `route.table` here or
   * itself. A filter that throws ends the subscription with its error.
   */
  readonly filter?: (event: NetlinkEvent) => boolean;
  /**
   * Bound of the queue of events waiting for the consumer, default 65536. When it is full the subscription fails
   * with a `NetlinkError` whose `errnoName` is `ENOBUFS` (as when the kernel itself drops notifications): the
   * events queued before are delivered first, then `next()` rejects. Re-read the state and subscribe again.
   */
  readonly maxQueuedEvents?: number;
}

/** Filters of list operations; all optional. */
export interface ListFilter {
  readonly family?: Family;
  /** Only objects on this link index. */
  readonly index?: number;
}

/** Route list filter. */
export interface RouteFilter extends ListFilter {
  /** Table to list; default main (254). `'all'` lists every table. */
  readonly table?: number | 'all';
}

/**
 * Takes a list's entries one at a time, as the dump is decoded, instead of the list collecting them: a caller
 * that only needs what differs from what it expects (a full check against 15,000 entries) then never holds
 * the whole dump. Entries come after the filter's other conditions.
 */
export interface DumpVisitor<T> {
  /** Called with each entry that passes the filter, in the kernel's order. */
  entry(value: T): void;
  /**
   * Called when the kernel marked the dump interrupted (`NLM_F_DUMP_INTR`: the table changed while it was read)
   * and it is about to be read again from the start: forget every entry given so far.
   */
  restart(): void;
}

/** A list filter with an optional {@link DumpVisitor}; with one, the list resolves to `[]`. */
export type VisitedFilter<Filter, T> = Filter & { readonly visit?: DumpVisitor<T> };

/**
 * rtnetlink operations on one network namespace. Errors are `NetlinkError` (with errno name and the
 * kernel's extended-ack text); a missing object is `NetlinkNotFoundError`.
 */
export interface Netlink {
  /** `ip link show dev <ref>`; rejects `NetlinkNotFoundError`. */
  getLink(ref: LinkRef): Promise<Link>;
  /** Like `getLink` but resolves `undefined` when absent. */
  findLink(ref: LinkRef): Promise<Link | undefined>;
  /** `ip -d link show` */
  listLinks(): Promise<Link[]>;
  /** `ip link add …`; resolves to the created link. Rejects `EEXIST` if the name is taken. */
  addLink(spec: LinkSpec): Promise<Link>;
  /** `ip link del <ref>` */
  deleteLink(ref: LinkRef): Promise<void>;
  /** `ip link set <ref> [up|down] [mtu N] [address MAC] [master M]` */
  setLink(ref: LinkRef, changes: LinkChanges): Promise<void>;

  /** `ip addr show` */
  listAddresses(filter?: ListFilter): Promise<Address[]>;
  /** `ip addr add <a>/<n> dev <i>` */
  addAddress(address: Address): Promise<void>;
  /** `ip addr del <a>/<n> dev <i>` */
  deleteAddress(address: Address): Promise<void>;

  /** `ip route show [table N]`; entries go to `filter.visit` instead of the list when it is given. */
  listRoutes(filter?: VisitedFilter<RouteFilter, Route>): Promise<Route[]>;
  /** `ip route add …` */
  addRoute(route: Route): Promise<void>;
  /** `ip route replace …` */
  replaceRoute(route: Route): Promise<void>;
  /** `ip route del …` */
  deleteRoute(route: Route): Promise<void>;
  /** `ip route get <address>`: the route(s) the kernel would use. */
  getRoute(address: string): Promise<Route[]>;

  /** `ip neigh show` (ARP/NDP only; FDB entries via `listFdb`). */
  listNeighbours(filter?: VisitedFilter<ListFilter, Neighbour>): Promise<Neighbour[]>;
  /** `ip neigh replace <ip> dev <i> lladdr <mac> nud permanent` */
  replaceNeighbour(neighbour: Neighbour): Promise<void>;
  /** `ip neigh del <ip> dev <i>` */
  deleteNeighbour(neighbour: Neighbour): Promise<void>;

  /** `bridge fdb show [dev <i>]` */
  listFdb(filter?: VisitedFilter<{ readonly index?: number }, FdbEntry>): Promise<FdbEntry[]>;
  /** `bridge fdb replace <mac> dev <i> self dst <ip> permanent` */
  replaceFdb(entry: FdbEntry): Promise<void>;
  /** `bridge fdb del <mac> dev <i> self dst <ip>` */
  deleteFdb(entry: FdbEntry): Promise<void>;

  /**
   * Sends many operations together and matches each ACK to its request: one failing entry fails
   * alone. Results are in request order. Like `ip -batch` / `bridge -batch` with `-force`.
   */
  batch(operations: readonly NetlinkOperation[]): Promise<BatchResult[]>;

  /**
   * Kernel notifications for the given groups (`ip monitor`). Listening starts when `subscribe()` is called, not
   * at the first `next()`: changes made between the call and the iteration are delivered. Events queue until
   * consumed, up to `options.maxQueuedEvents`; past that, or when the kernel drops notifications, the iteration
   * throws a `NetlinkError` with `errnoName` `ENOBUFS` (after the events queued before it): re-read the state and
   * subscribe again. Route events of every table arrive (filter on `route.table`, e.g. with `options.filter`).
   * The result is a single-consumer iterator; it ends when `signal` aborts, when `return()` is called (e.g. by
   * `break` in `for await`) or on `close()`. A subscription that is never iterated still holds its socket until
   * one of those happens. Never blocks the event loop nor holds a libuv pool thread while idle. Throws
   * `NetlinkError` at once if the socket cannot be opened.
   *
   * @example
   * ```ts
   * const events = netlink.subscribe(['link'], { signal });
   * await netlink.addLink({ name: 'br0', kind: 'bridge' }); // its newlink is not missed
   * for await (const event of events) console.log(event.type);
   * ```
   */
  subscribe(groups: readonly NetlinkGroup[], options: SubscribeOptions): AsyncIterable<NetlinkEvent>;

  /** Closes the socket(s). Idempotent. */
  close(): Promise<void>;
}
