// The `Netlink` contract against the real kernel: one rtnetlink socket (koffi FFI) per instance, optionally in
// another network namespace.
import { addAddress, addressRequest, deleteAddress, listAddresses } from './address.js';
import { subscribe } from './events.js';
import { addLink, deleteLink, findLink, getLink, listLinks, setLink } from './link.js';
import {
  deleteFdb, deleteNeighbour, fdbRequest, listFdb, listNeighbours, neighbourRequest, replaceFdb, replaceNeighbour,
} from './neighbour.js';
import type {
  BatchResult, LinkRef, ListFilter, Netlink, NetlinkEvent, NetlinkGroup, NetlinkOperation, RouteFilter, SubscribeOptions, VisitedFilter,
} from './netlink.js';
import { EventReader } from './socket/event-reader.js';
import { addRoute, deleteRoute, getRoute, listRoutes, replaceRoute, routeRequest } from './route.js';
import { sendBatch } from './socket/batch.js';
import { NetlinkSocket } from './socket/netlink-socket.js';
import type { AckRequest } from './socket/requests.js';
import type { Address, FdbEntry, Link, LinkChanges, LinkSpec, Neighbour, NetnsRef, Route } from './types.js';

/** Options of {@link createNetlink}. */
export interface CreateNetlinkOptions {
  /** Network namespace to manage (a name under `/run/netns`, a path, or an open fd); default: this process's. */
  readonly netns?: NetnsRef;
  /** Requests in flight per window of a `batch` (default 2048). */
  readonly batchWindow?: number;
  /** Receive buffer of the socket (`SO_RCVBUFFORCE`), default 8 MiB. */
  readonly receiveBufferBytes?: number;
  /** Requests fail with `ETIMEDOUT` when the kernel sends nothing for this long; default 30 s. */
  readonly replyTimeoutMs?: number;
}

/** The request of one batched operation (validated; throws `NetlinkInvalidArgumentError`). */
export function operationRequest(operation: NetlinkOperation): AckRequest {
  switch (operation.op) {
    case 'addAddress':
    case 'deleteAddress':
      return addressRequest(operation.op, operation.address);
    case 'addRoute':
    case 'replaceRoute':
    case 'deleteRoute':
      return routeRequest(operation.op, operation.route);
    case 'replaceNeighbour':
    case 'deleteNeighbour':
      return neighbourRequest(operation.op, operation.neighbour);
    case 'replaceFdb':
    case 'deleteFdb':
      return fdbRequest(operation.op, operation.entry);
  }
}

class KernelNetlink implements Netlink {
  /** Ends every subscription on `close()`. */
  private readonly closing = new AbortController();
  /** Reads this instance's event sockets: one asynchronous `poll` over all of them (started with the first subscription). */
  private readonly reader = new EventReader();

  constructor(
    private readonly socket: NetlinkSocket,
    private readonly options: CreateNetlinkOptions,
  ) {}

  getLink(ref: LinkRef): Promise<Link> { return getLink(this.socket, ref); }
  findLink(ref: LinkRef): Promise<Link | undefined> { return findLink(this.socket, ref); }
  listLinks(): Promise<Link[]> { return listLinks(this.socket); }
  addLink(spec: LinkSpec): Promise<Link> { return addLink(this.socket, spec); }
  deleteLink(ref: LinkRef): Promise<void> { return deleteLink(this.socket, ref); }
  setLink(ref: LinkRef, changes: LinkChanges): Promise<void> { return setLink(this.socket, ref, changes); }

  listAddresses(filter?: ListFilter): Promise<Address[]> { return listAddresses(this.socket, filter); }
  addAddress(address: Address): Promise<void> { return addAddress(this.socket, address); }
  deleteAddress(address: Address): Promise<void> { return deleteAddress(this.socket, address); }

  listRoutes(filter?: VisitedFilter<RouteFilter, Route>): Promise<Route[]> { return listRoutes(this.socket, filter); }
  addRoute(route: Route): Promise<void> { return addRoute(this.socket, route); }
  replaceRoute(route: Route): Promise<void> { return replaceRoute(this.socket, route); }
  deleteRoute(route: Route): Promise<void> { return deleteRoute(this.socket, route); }
  getRoute(address: string): Promise<Route[]> { return getRoute(this.socket, address); }

  listNeighbours(filter?: VisitedFilter<ListFilter, Neighbour>): Promise<Neighbour[]> { return listNeighbours(this.socket, filter); }
  replaceNeighbour(neighbour: Neighbour): Promise<void> { return replaceNeighbour(this.socket, neighbour); }
  deleteNeighbour(neighbour: Neighbour): Promise<void> { return deleteNeighbour(this.socket, neighbour); }

  listFdb(filter?: VisitedFilter<{ readonly index?: number }, FdbEntry>): Promise<FdbEntry[]> { return listFdb(this.socket, filter); }
  replaceFdb(entry: FdbEntry): Promise<void> { return replaceFdb(this.socket, entry); }
  deleteFdb(entry: FdbEntry): Promise<void> { return deleteFdb(this.socket, entry); }

  async batch(operations: readonly NetlinkOperation[]): Promise<BatchResult[]> {
    // Invalid entries fail alone, before anything is sent; the valid ones go out in windows. Sized once: batches
    // hold thousands of operations, and usually every one is valid (then `positions` is never built).
    const requests = new Array<AckRequest>(operations.length);
    let count = 0;
    let positions: number[] | undefined;
    let invalid: BatchResult[] | undefined;
    for (let index = 0; index < operations.length; index++) {
      try {
        requests[count] = operationRequest(operations[index]!);
        positions?.push(index);
        count += 1;
      } catch (error) {
        invalid ??= new Array<BatchResult>(operations.length);
        invalid[index] = { ok: false, error: error as Error };
        positions ??= Array.from({ length: count }, (_, i) => i);
      }
    }
    requests.length = count;
    const sent = await sendBatch(this.socket, requests, this.options.batchWindow === undefined ? {} : { window: this.options.batchWindow });
    if (invalid === undefined || positions === undefined) return sent; // every operation was valid: results line up already
    for (let i = 0; i < sent.length; i++) invalid[positions[i]!] = sent[i]!;
    return invalid;
  }

  subscribe(groups: readonly NetlinkGroup[], options: SubscribeOptions): AsyncIterable<NetlinkEvent> {
    const { signal, ...rest } = options;
    return subscribe(this.reader, this.options.netns, groups, rest, AbortSignal.any([signal, this.closing.signal]));
  }

  close(): Promise<void> {
    this.closing.abort();
    return this.socket.close();
  }
}

/**
 * Opens an rtnetlink socket (in `options.netns` when given) and returns the `Netlink` operations on it. Needs
 * `CAP_NET_ADMIN` for changes (and for entering another namespace).
 *
 * @example
 * ```ts
 * const netlink = await createNetlink({ netns: { name: 'blue' } });
 * const vxlan = await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, port: 8472 }, up: true });
 * await netlink.replaceRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: vxlan.index, onlink: true });
 * await netlink.close();
 * ```
 */
export async function createNetlink(options: CreateNetlinkOptions = {}): Promise<Netlink> {
  const socket = NetlinkSocket.open({
    ...(options.netns ? { netns: options.netns } : {}),
    ...(options.receiveBufferBytes ? { receiveBufferBytes: options.receiveBufferBytes } : {}),
    ...(options.replyTimeoutMs ? { replyTimeoutMs: options.replyTimeoutMs } : {}),
  });
  return new KernelNetlink(socket, options);
}
