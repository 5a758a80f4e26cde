// What incremental passes wrote while a full pass was reading the kernel (core's runLeaseReconcileLoop with
// `splitFullPasses`). The full pass's dump may show each of those writes or not: a route listed before an
// incremental pass replaced it still has its old gateway. Diffing the desired set against such a dump is
// harmless for what is wanted (it is rewritten; replace never fails with EEXIST), but not for what is no
// longer wanted: the delete names the old attributes, the kernel answers ESRCH and keeps the new entry,
// and the full pass then re-seeds its model without it, so the event that removed it finds nothing to
// delete. Laying the journal over the dump gives the diff the kernel as those writes left it.
import type { FdbEntry, Neighbour, NetlinkOperation, Route } from '@flannel-ts/netlink';
import { routeAddressKey, routeDestinationKey } from './route-keys.js';

/** An entry a journal knows of: written (the entry) or deleted (`null`). */
type Known<T> = Map<string, T | null>;

/**
 * The kernel entries incremental passes replaced or deleted during one full pass's read phase, keyed as
 * the kernel keys them (routes by destination, neighbours by address, FDB entries by MAC). Keep one per
 * device (or per family), record every operation an incremental pass sends while the full pass reads, and
 * lay it over the full pass's dump once its apply phase has begun (no incremental runs then).
 *
 * A refused operation is recorded as if it had been applied: the incremental pass that sent it asks for a
 * full pass, which reads the kernel afresh right after this one.
 *
 * @example
 * ```ts
 * const journal = new KernelJournal();
 * journal.record([{ op: 'deleteRoute', route }]);             // an incremental pass, during the dump
 * const actual = journal.routes(await netlink.listRoutes({ family: 4 })); // the full pass, after beginApply()
 * ```
 */
export class KernelJournal {
  readonly #routes: Known<Route> = new Map();
  readonly #neighbours: Known<Neighbour> = new Map();
  readonly #fdb: Known<FdbEntry> = new Map();

  /** Records operations in the order they were sent (the last one on an entry wins); address operations are ignored. */
  record(operations: Iterable<NetlinkOperation>): void {
    for (const operation of operations) {
      switch (operation.op) {
        case 'addRoute':
        case 'replaceRoute':
          this.#routes.set(routeDestinationKey(operation.route.destination), operation.route);
          break;
        case 'deleteRoute':
          this.#routes.set(routeDestinationKey(operation.route.destination), null);
          break;
        case 'replaceNeighbour':
          this.#neighbours.set(routeAddressKey(operation.neighbour.address), operation.neighbour);
          break;
        case 'deleteNeighbour':
          this.#neighbours.set(routeAddressKey(operation.neighbour.address), null);
          break;
        case 'replaceFdb':
          this.#fdb.set(operation.entry.hardwareAddress.toLowerCase(), operation.entry);
          break;
        case 'deleteFdb':
          this.#fdb.set(operation.entry.hardwareAddress.toLowerCase(), null);
          break;
        default:
          break;
      }
    }
  }

  /** True when nothing was recorded (the dump stands as it is). */
  get empty(): boolean {
    return this.#routes.size === 0 && this.#neighbours.size === 0 && this.#fdb.size === 0;
  }

  /** `dumped` (routes the caller owns) as the recorded writes left them. */
  routes(dumped: readonly Route[]): readonly Route[] {
    return overlay(dumped, this.#routes, (route) => routeDestinationKey(route.destination));
  }

  /** `dumped` (neighbours the caller owns) as the recorded writes left them. */
  neighbours(dumped: readonly Neighbour[]): readonly Neighbour[] {
    return overlay(dumped, this.#neighbours, (neighbour) => routeAddressKey(neighbour.address));
  }

  /** `dumped` (FDB entries the caller owns) as the recorded writes left them. */
  fdb(dumped: readonly FdbEntry[]): readonly FdbEntry[] {
    return overlay(dumped, this.#fdb, (entry) => entry.hardwareAddress.toLowerCase());
  }

  /**
   * The same overlay on dumps already keyed as the journal keys them (routes by `routeDestinationKey`,
   * neighbours by `routeAddressKey`, FDB entries by lower-case MAC), in place: a recorded write replaces the
   * entry of its key, a recorded delete removes it.
   *
   * @example
   * ```ts
   * journal.layOver({ routes, neighbours, fdb }); // the maps a full pass filled while its dumps were decoded
   * ```
   */
  layOver(current: { readonly routes?: Map<string, Route>; readonly neighbours?: Map<string, Neighbour>; readonly fdb?: Map<string, FdbEntry> }): void {
    if (current.routes !== undefined) overlayInPlace(current.routes, this.#routes);
    if (current.neighbours !== undefined) overlayInPlace(current.neighbours, this.#neighbours);
    if (current.fdb !== undefined) overlayInPlace(current.fdb, this.#fdb);
  }
}

function overlayInPlace<T>(current: Map<string, T>, known: Known<T>): void {
  known.forEach((entry, key) => {
    if (entry === null) current.delete(key);
    else current.set(key, entry);
  });
}

/** The dumped entries the journal does not know of, then the ones it knows were written. */
function overlay<T>(dumped: readonly T[], known: Known<T>, key: (entry: T) => string): readonly T[] {
  if (known.size === 0) return dumped;
  const result = dumped.filter((entry) => !known.has(key(entry)));
  known.forEach((entry) => {
    if (entry !== null) result.push(entry);
  });
  return result;
}
