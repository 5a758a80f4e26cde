// RecordingNetlink: the `Netlink` contract over an in-memory kernel model. It validates every request
// with validate.ts (so it refuses exactly what the kernel implementation refuses before sending),
// answers like the kernel (EEXIST, ENODEV, ESRCH, ENETUNREACH, …), records every mutating call, and
// prints its state as `ip`/`bridge` commands for snapshot tests.
import { errnoNumber, type ErrnoName } from '../errno.js';
import { NetlinkError, netlinkErrorFromErrno } from '../errors.js';
import type {
  BatchResult, DumpVisitor, LinkRef, ListFilter, Netlink, NetlinkEvent, NetlinkGroup, NetlinkOperation, RouteFilter, SubscribeOptions, VisitedFilter,
} from '../netlink.js';
import type { Address, FdbEntry, Link, LinkChanges, LinkSpec, Neighbour, Route } from '../types.js';
import {
  parseIp, validateAddress, validateFdbEntry, validateLinkChanges, validateLinkRef, validateLinkSpec,
  validateNeighbour, validateRoute,
} from '../validate.js';
import { createEventStream } from './event-stream.js';
import { KernelModel } from './kernel-model.js';
import { seedModel, type RecordingNetlinkOptions } from './seed-model.js';
import { MAIN_TABLE, publicCopy, toLink, type CallContext } from './kernel-records.js';
import { printCommands } from './print-commands.js';

/** One recorded mutating call. */
export interface RecordedCall {
  /** The `Netlink` method (`addRoute`, `replaceFdb`, …). */
  readonly operation: string;
  /** Its argument(s) as passed (a `LinkRef` and `LinkChanges` for `setLink`). */
  readonly request: unknown;
  /** Sequence number, as the kernel implementation would send. */
  readonly sequence: number;
  /** Set when the call was made through `batch()`. */
  readonly batched?: boolean;
  /** The error it rejected with, if it did. */
  readonly error?: NetlinkError;
}

/** A fault to inject into the next matching call(s). See {@link RecordingNetlink.failNext}. */
export interface InjectedFault {
  /** The `Netlink` method to fail. */
  readonly operation: string;
  /** The errno to answer with. */
  readonly errno: ErrnoName;
  /** Only calls whose request passes this test. */
  readonly when?: (request: unknown) => boolean;
  /** How many calls to fail; default 1. */
  readonly times?: number;
  /** Extended-ack text to attach. */
  readonly extendedAck?: string;
}

interface SharedState {
  readonly model: KernelModel;
  sequence: number;
  readonly faults: { fault: InjectedFault; left: number }[];
}

const MUTATING = new Set([
  'addLink', 'deleteLink', 'setLink', 'addAddress', 'deleteAddress', 'addRoute', 'replaceRoute', 'deleteRoute',
  'replaceNeighbour', 'deleteNeighbour', 'replaceFdb', 'deleteFdb',
]);

/**
 * The `Netlink` contract over an in-memory kernel model, for tests of code that programs links,
 * addresses, routes, neighbours and FDB entries. Like `MockAgent` for undici: ships with the library.
 *
 * @example
 * ```ts
 * const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }] });
 * await backend.run({ netlink });
 * expect(netlink.toCommands()).toMatchInlineSnapshot();
 * await netlink.outside.deleteLink('flannel.1'); // someone else removed the device
 * ```
 */
export class RecordingNetlink implements Netlink {
  /** Every mutating call, in order, including refused ones. */
  readonly calls: RecordedCall[] = [];
  private readonly shared: SharedState;
  private readonly record: boolean;
  private closed = false;
  private readonly closers = new Set<() => void>();
  private outsideView?: RecordingNetlink;
  private batching = false;

  /** @internal Use `createRecordingNetlink`; `shared` is the kernel model another namespace's view shares. */
  constructor(options: RecordingNetlinkOptions = {}, shared?: SharedState) {
    this.record = shared === undefined;
    if (shared) {
      this.shared = shared;
      return;
    }
    this.shared = { model: new KernelModel(), sequence: 0, faults: [] };
    seedModel(this.shared.model, options);
  }

  /**
   * Another handle on the same kernel that is not recorded, as if another process changed the
   * namespace (`ip link del flannel.1` by an admin). Its changes reach subscribers like any other.
   */
  get outside(): RecordingNetlink {
    this.outsideView ??= new RecordingNetlink({}, this.shared);
    return this.outsideView;
  }

  /**
   * Makes the next matching call(s) reject with `errno` after validation, before touching state.
   *
   * @example
   * ```ts
   * netlink.failNext({ operation: 'replaceFdb', errno: 'ENOBUFS' });
   * ```
   */
  failNext(fault: InjectedFault): void {
    this.shared.faults.push({ fault, left: fault.times ?? 1 });
  }

  /** The state as `ip`/`bridge` commands, sorted deterministically (seeded objects left out). */
  toCommands(): string[] {
    return printCommands(this.shared.model);
  }

  /** The mutating calls as `operation` names, a compact view for assertions. */
  callNames(): string[] {
    return this.calls.map((c) => c.operation);
  }

  private context(operation: string, request: unknown): CallContext {
    return { operation, sequence: ++this.shared.sequence, request };
  }

  private async run<T>(operation: string, request: unknown, apply: (context: CallContext) => T): Promise<T> {
    const context = this.context(operation, request);
    const recording = this.record && MUTATING.has(operation);
    try {
      if (this.closed) {
        throw new NetlinkError({ operation, errno: errnoNumber('EBADF'), code: 'NETLINK_CLOSED', message: `${operation} failed: netlink handle is closed` });
      }
      const result = apply(context);
      if (recording) this.calls.push(this.entry(context));
      return result;
    } catch (error) {
      if (recording) this.calls.push({ ...this.entry(context), error: error as NetlinkError });
      throw error;
    }
  }

  private entry(context: CallContext): RecordedCall {
    return { operation: context.operation, request: context.request, sequence: context.sequence, ...(this.batching ? { batched: true } : {}) };
  }

  private injectFault(context: CallContext, request: unknown): void {
    const at = this.shared.faults.findIndex(({ fault }) => fault.operation === context.operation && (fault.when?.(request) ?? true));
    if (at < 0) return;
    const slot = this.shared.faults[at]!;
    if (--slot.left <= 0) this.shared.faults.splice(at, 1);
    throw netlinkErrorFromErrno({
      operation: context.operation, errno: errnoNumber(slot.fault.errno), sequence: context.sequence, request,
      extendedAck: slot.fault.extendedAck,
    });
  }

  private get model(): KernelModel {
    return this.shared.model;
  }

  // ---- links ----

  getLink(ref: LinkRef): Promise<Link> {
    return this.run('getLink', ref, (c) => toLink(this.model.requireLink(c, validateLinkRef(ref, 'getLink'))));
  }

  findLink(ref: LinkRef): Promise<Link | undefined> {
    return this.run('findLink', ref, () => {
      const link = this.model.findLink(validateLinkRef(ref, 'findLink'));
      return link && toLink(link);
    });
  }

  listLinks(): Promise<Link[]> {
    return this.run('listLinks', undefined, () => [...this.model.links.values()].sort((a, b) => a.index - b.index).map(toLink));
  }

  addLink(spec: LinkSpec): Promise<Link> {
    return this.run('addLink', spec, (c) => {
      const valid = validateLinkSpec(spec, 'addLink');
      this.injectFault(c, spec);
      return toLink(this.model.addLink(c, valid));
    });
  }

  deleteLink(ref: LinkRef): Promise<void> {
    return this.run('deleteLink', ref, (c) => {
      const valid = validateLinkRef(ref, 'deleteLink');
      this.injectFault(c, ref);
      this.model.deleteLink(c, valid);
    });
  }

  setLink(ref: LinkRef, changes: LinkChanges): Promise<void> {
    return this.run('setLink', { ref, changes }, (c) => {
      const validRef = validateLinkRef(ref, 'setLink');
      const valid = validateLinkChanges(changes, 'setLink');
      this.injectFault(c, { ref, changes });
      this.model.setLink(c, validRef, valid);
    });
  }

  // ---- addresses ----

  listAddresses(filter: ListFilter = {}): Promise<Address[]> {
    return this.run('listAddresses', filter, () =>
      this.model.addresses.filter((a) => matches(a, filter)).map(publicCopy));
  }

  addAddress(address: Address): Promise<void> {
    return this.mutate('addAddress', address, validateAddress, (c, a) => this.model.addAddress(c, a));
  }

  deleteAddress(address: Address): Promise<void> {
    return this.mutate('deleteAddress', address, validateAddress, (c, a) => this.model.deleteAddress(c, a));
  }

  // ---- routes ----

  listRoutes(filter: VisitedFilter<RouteFilter, Route> = {}): Promise<Route[]> {
    return this.run('listRoutes', filter, () => {
      const table = filter.table ?? MAIN_TABLE;
      return visited(this.model.routes.filter((r) => matches(r, filter) && (table === 'all' || (r.table ?? MAIN_TABLE) === table)).map(publicCopy), filter);
    });
  }

  addRoute(route: Route): Promise<void> {
    return this.mutate('addRoute', route, validateRoute, (c, r) => this.model.addRoute(c, r));
  }

  replaceRoute(route: Route): Promise<void> {
    return this.mutate('replaceRoute', route, validateRoute, (c, r) => this.model.replaceRoute(c, r));
  }

  deleteRoute(route: Route): Promise<void> {
    return this.mutate('deleteRoute', route, validateRoute, (c, r) => this.model.deleteRoute(c, r));
  }

  getRoute(address: string): Promise<Route[]> {
    return this.run('getRoute', address, (c) => {
      const ip = parseIp(address, 'address');
      return this.model.getRoute(c, ip.address, ip.family);
    });
  }

  // ---- neighbours and FDB ----

  listNeighbours(filter: VisitedFilter<ListFilter, Neighbour> = {}): Promise<Neighbour[]> {
    return this.run('listNeighbours', filter, () => visited(this.model.neighbours.filter((n) => matches(n, filter)).map(publicCopy), filter));
  }

  replaceNeighbour(neighbour: Neighbour): Promise<void> {
    return this.mutate('replaceNeighbour', neighbour, validateNeighbour, (c, n) => this.model.replaceNeighbour(c, n));
  }

  deleteNeighbour(neighbour: Neighbour): Promise<void> {
    return this.mutate('deleteNeighbour', neighbour, validateNeighbour, (c, n) => this.model.deleteNeighbour(c, n));
  }

  listFdb(filter: VisitedFilter<{ readonly index?: number }, FdbEntry> = {}): Promise<FdbEntry[]> {
    return this.run('listFdb', filter, () =>
      visited(this.model.fdb.filter((e) => filter.index === undefined || e.index === filter.index).map(publicCopy), filter));
  }

  replaceFdb(entry: FdbEntry): Promise<void> {
    return this.mutate('replaceFdb', entry, validateFdbEntry, (c, e) => this.model.replaceFdb(c, e));
  }

  deleteFdb(entry: FdbEntry): Promise<void> {
    return this.mutate('deleteFdb', entry, validateFdbEntry, (c, e) => this.model.deleteFdb(c, e));
  }

  private mutate<T>(operation: string, request: T, validate: (value: T, operation: string) => T, apply: (c: CallContext, valid: T) => void): Promise<void> {
    return this.run(operation, request, (c) => {
      const valid = validate(request, operation);
      this.injectFault(c, request);
      apply(c, valid);
    });
  }

  // ---- batch, events, close ----

  async batch(operations: readonly NetlinkOperation[]): Promise<BatchResult[]> {
    const results: BatchResult[] = [];
    this.batching = true;
    try {
      for (const operation of operations) {
        try {
          await this.applyOne(operation);
          results.push({ ok: true });
        } catch (error) {
          results.push({ ok: false, error: error as Error });
        }
      }
    } finally {
      this.batching = false;
    }
    return results;
  }

  private applyOne(operation: NetlinkOperation): Promise<void> {
    switch (operation.op) {
      case 'addAddress': return this.addAddress(operation.address);
      case 'deleteAddress': return this.deleteAddress(operation.address);
      case 'addRoute': return this.addRoute(operation.route);
      case 'replaceRoute': return this.replaceRoute(operation.route);
      case 'deleteRoute': return this.deleteRoute(operation.route);
      case 'replaceNeighbour': return this.replaceNeighbour(operation.neighbour);
      case 'deleteNeighbour': return this.deleteNeighbour(operation.neighbour);
      case 'replaceFdb': return this.replaceFdb(operation.entry);
      case 'deleteFdb': return this.deleteFdb(operation.entry);
      default: {
        const unknown: { op?: unknown } = operation;
        return Promise.reject(new NetlinkError({ operation: 'batch', errno: errnoNumber('EINVAL'), message: `batch operation ${String(unknown.op)} is unknown` }));
      }
    }
  }

  subscribe(groups: readonly NetlinkGroup[], options: SubscribeOptions): AsyncIterable<NetlinkEvent> {
    return createEventStream(this.model, groups, options, this.closers);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const end of [...this.closers]) end();
  }
}

/** A list as the kernel's list operations give it: to `filter.visit` one entry at a time (then `[]`), or whole. */
function visited<T>(entries: T[], filter: { readonly visit?: DumpVisitor<T> }): T[] {
  if (filter.visit === undefined) return entries;
  for (const entry of entries) filter.visit.entry(entry);
  return [];
}

function matches(item: { family?: number; index?: number }, filter: ListFilter): boolean {
  return (filter.family === undefined || item.family === filter.family) && (filter.index === undefined || item.index === filter.index);
}

/**
 * Creates a {@link RecordingNetlink}: `lo` at index 1, then the given seed links and routes.
 *
 * @example
 * ```ts
 * const netlink = createRecordingNetlink({
 *   links: [{ name: 'eth0', addresses: ['192.168.64.2/24'] }],
 *   routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '192.168.64.1' }],
 * });
 * ```
 */
export function createRecordingNetlink(options: RecordingNetlinkOptions = {}): RecordingNetlink {
  return new RecordingNetlink(options);
}


