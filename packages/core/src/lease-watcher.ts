import type { Lease, LeaseEvent, LeaseWatchResult } from './lease.js';
import { sameAttributes } from './same-attributes.js';

/**
 * Whether two leases name the same node slot, by flannel's `sameSubnet` rules, using the flags of
 * `reference`: IPv4-only compares `subnet`, IPv6-only compares `ipv6Subnet`, dual stack compares both,
 * and a lease with neither flag (flannel's etcd/own-lease case) compares `subnet`.
 *
 * @example
 * ```ts
 * isSameLeaseSubnet(known, incoming); // true when incoming replaces known
 * ```
 */
export function isSameLeaseSubnet(reference: Lease, other: Lease): boolean {
  const sameV4 = reference.subnet !== undefined ? reference.subnet.equals(other.subnet) : other.subnet === undefined;
  const sameV6 = reference.ipv6Subnet !== undefined ? reference.ipv6Subnet.equals(other.ipv6Subnet) : other.ipv6Subnet === undefined;
  if (reference.enableIPv4 && reference.enableIPv6) return sameV4 && sameV6;
  if (reference.enableIPv6) return sameV6;
  return sameV4;
}


/**
 * Which of a known lease's subnets {@link isSameLeaseSubnet} compares, by that lease's own flags: the IPv4
 * subnet, the IPv6 subnet or both. Also the index of the lease's bucket map in {@link LeaseIndex}.
 */
type ComparedSubnets = 0 | 1 | 2;
const COMPARES_IPV4: ComparedSubnets = 0;
const COMPARES_IPV6: ComparedSubnets = 1;
const COMPARES_DUAL_STACK: ComparedSubnets = 2;

function comparedSubnetsOf(lease: Lease): ComparedSubnets {
  if (lease.enableIPv4 && lease.enableIPv6) return COMPARES_DUAL_STACK;
  return lease.enableIPv6 ? COMPARES_IPV6 : COMPARES_IPV4;
}

/**
 * The bucket key of a lease among the known leases of one {@link ComparedSubnets} kind: the address of a
 * subnet that kind compares (the IPv4 one for dual stack), `''` for none. Two leases that match share
 * it; the converse is checked with {@link isSameLeaseSubnet} itself. Addresses are strings the leases
 * already hold, so nothing is built per lookup.
 */
function bucketKey(lease: Lease, kind: ComparedSubnets): string {
  return (kind === COMPARES_IPV6 ? lease.ipv6Subnet : lease.subnet)?.address ?? '';
}

/** A known lease and its place in the known list (places only grow; a replacement keeps its place). */
interface Slot {
  readonly order: number;
  lease: Lease;
  kind: ComparedSubnets;
  key: string;
}

/** The slots sharing one key: the slot itself, or two or more sorted by `order`. */
type Bucket = Slot | Slot[];

/**
 * The known leases in order, indexed so that "the first known lease `known` with
 * `isSameLeaseSubnet(known, lease)`" looks at a bucket per kind of known lease (IPv4, IPv6, dual stack)
 * instead of the whole list, and takes the earliest match among them. Buckets hold more than one lease
 * only when subnets share an address (other prefix length, other IPv6 half of a dual-stack lease) or a
 * snapshot repeats a subnet.
 */
class LeaseIndex {
  #nextOrder = 0;
  /** Every slot, keyed and iterated by `order` (a Map keeps insertion order). */
  readonly #slots = new Map<number, Slot>();
  /**
   * Slots by key, one map per {@link ComparedSubnets}: the slot itself while it is the only one with its key (every lease
   * of a healthy cluster), else a list sorted by `order`.
   */
  readonly #buckets: readonly [Map<string, Bucket>, Map<string, Bucket>, Map<string, Bucket>] = [new Map(), new Map(), new Map()];
  #list: Lease[] | undefined = [];

  /** The leases in list order (cached until the next change). */
  leases(): Lease[] {
    this.#list ??= Array.from(this.#slots.values(), (slot) => slot.lease);
    return this.#list;
  }

  slots(): IterableIterator<Slot> {
    return this.#slots.values();
  }

  /** The first known lease `known` in list order with `isSameLeaseSubnet(known, lease)`. */
  find(lease: Lease): Slot | undefined {
    let best: Slot | undefined;
    for (let kind: ComparedSubnets = COMPARES_IPV4; kind <= COMPARES_DUAL_STACK; kind += 1) {
      const buckets = this.#buckets[kind];
      if (buckets.size === 0) continue;
      const bucket = buckets.get(bucketKey(lease, kind));
      if (bucket === undefined) continue;
      if (!Array.isArray(bucket)) {
        if ((best === undefined || bucket.order < best.order) && isSameLeaseSubnet(bucket.lease, lease)) best = bucket;
        continue;
      }
      for (const slot of bucket) {
        if (best !== undefined && slot.order > best.order) break;
        if (isSameLeaseSubnet(slot.lease, lease)) {
          best = slot;
          break;
        }
      }
    }
    return best;
  }

  append(lease: Lease): void {
    const kind = comparedSubnetsOf(lease);
    const slot: Slot = { order: this.#nextOrder, lease, kind, key: bucketKey(lease, kind) };
    this.#nextOrder += 1;
    this.#slots.set(slot.order, slot);
    const buckets = this.#buckets[kind];
    const bucket = buckets.get(slot.key);
    if (bucket === undefined) buckets.set(slot.key, slot);
    else if (!Array.isArray(bucket)) buckets.set(slot.key, [bucket, slot]); // the newest order: stays sorted
    else bucket.push(slot);
    this.#list = undefined;
  }

  /** Puts `lease` in `slot`'s place in the list. */
  replace(slot: Slot, lease: Lease): void {
    const kind = comparedSubnetsOf(lease);
    const key = bucketKey(lease, kind);
    if (kind !== slot.kind || key !== slot.key) {
      this.#unbucket(slot);
      slot.kind = kind;
      slot.key = key;
      this.#bucket(slot);
    }
    slot.lease = lease;
    this.#list = undefined;
  }

  delete(slot: Slot): void {
    this.#slots.delete(slot.order);
    this.#unbucket(slot);
    this.#list = undefined;
  }

  #bucket(slot: Slot): void {
    const buckets = this.#buckets[slot.kind];
    const bucket = buckets.get(slot.key);
    if (bucket === undefined) {
      buckets.set(slot.key, slot);
      return;
    }
    if (!Array.isArray(bucket)) {
      buckets.set(slot.key, bucket.order < slot.order ? [bucket, slot] : [slot, bucket]);
      return;
    }
    let low = 0;
    let high = bucket.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (bucket[middle]!.order < slot.order) low = middle + 1;
      else high = middle;
    }
    bucket.splice(low, 0, slot);
  }

  #unbucket(slot: Slot): void {
    const buckets = this.#buckets[slot.kind];
    const bucket = buckets.get(slot.key);
    if (bucket === undefined) return;
    if (!Array.isArray(bucket)) {
      if (bucket === slot) buckets.delete(slot.key);
      return;
    }
    const index = bucket[0] === slot ? 0 : bucket.indexOf(slot);
    if (index < 0) return;
    bucket.splice(index, 1);
    if (bucket.length === 1) buckets.set(slot.key, bucket[0]!);
  }
}

/**
 * Turns a lease watch (snapshots and events) into `added`/`removed` batches against the set of leases
 * already known, leaving out this node's own lease: flannel's `lease.LeaseWatcher`.
 *
 * - `update(events)`: an `added` lease replaces the known lease of the same subnet(s) or joins the set;
 *   `removed` drops it (and is passed on even when unknown, as flannel does).
 * - `reset(snapshot)`: `added` for leases not known before, `removed` for known leases missing from
 *   the snapshot. Unlike flannel, a known lease whose attributes changed is also reported `added`
 *   (so a VTEP MAC changed during an etcd compaction gap is not missed), and the own lease never
 *   enters the known set.
 *
 * The known leases are indexed by the subnet(s) {@link isSameLeaseSubnet} compares, so a snapshot of
 * n leases costs O(n) and an event O(1), with the same results as flannel's list scans (the first
 * known lease in list order that matches).
 *
 * @example
 * ```ts
 * const watcher = new LeaseWatcher(ownLease);
 * for await (const result of manager.watchLeases({ signal })) {
 *   const batch = watcher.apply(result);
 *   if (batch.length > 0) await reconcile(batch);
 * }
 * ```
 */
export class LeaseWatcher {
  #index = new LeaseIndex();

  /** @param ownLease This node's lease; events about its subnet(s) are dropped. */
  constructor(readonly ownLease?: Lease) {}

  /** The leases currently known (the own lease excluded), in the order they became known. */
  get leases(): readonly Lease[] {
    return this.#index.leases();
  }

  #isOwn(lease: Lease): boolean {
    return this.ownLease !== undefined && isSameLeaseSubnet(lease, this.ownLease);
  }

  /** Applies one watch result: a snapshot resets, events update. Returns the resulting batch. */
  apply(result: LeaseWatchResult): LeaseEvent[] {
    return result.kind === 'snapshot' ? this.reset(result.leases) : this.update(result.events);
  }

  /** Replaces the known set with `snapshot`, returning the differences as events. */
  reset(snapshot: readonly Lease[]): LeaseEvent[] {
    const batch: LeaseEvent[] = [];
    // The old index is consumed: each snapshot lease takes (removes) the first known lease it matches.
    const previous = this.#index;
    const next = new LeaseIndex();
    for (const lease of snapshot) {
      if (this.#isOwn(lease)) continue;
      const known = previous.find(lease);
      if (known === undefined) batch.push({ type: 'added', lease });
      else {
        previous.delete(known);
        if (!sameAttributes(known.lease.attributes, lease.attributes)) batch.push({ type: 'added', lease });
      }
      next.append(lease);
    }
    for (const slot of previous.slots()) batch.push({ type: 'removed', lease: slot.lease });
    this.#index = next;
    return batch;
  }

  /** Applies incremental events to the known set, returning the events that matter. */
  update(events: readonly LeaseEvent[]): LeaseEvent[] {
    const batch: LeaseEvent[] = [];
    for (const event of events) {
      if (this.#isOwn(event.lease)) continue;
      const known = this.#index.find(event.lease);
      if (event.type === 'added') {
        if (known === undefined) this.#index.append(event.lease);
        else this.#index.replace(known, event.lease);
        batch.push(event);
      } else if (known === undefined) {
        batch.push(event);
      } else {
        this.#index.delete(known);
        batch.push({ type: 'removed', lease: known.lease });
      }
    }
    return batch;
  }
}
