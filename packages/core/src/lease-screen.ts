// The remote leases a backend may program: those that pass checkRemoteLease and win every conflict.
// Two leases conflict when they claim the same key — the same IPv6 subnet (IPv4 subnets are the etcd
// key, so distinct by construction once SubnetLen-sized and aligned), or a backend's own key such as
// vxlan's VtepMAC (one FDB entry per MAC). The older lease (lower etcd create_revision, which renewals
// do not change) keeps the key, else the one that sorts first (lower IPv4, then IPv6 subnet: etcd's key
// order); the other is left out, logged once naming both. A key this node's own lease claims (its VtepMAC,
// its PublicKey) is never given to a remote lease: such a lease is refused like one that breaks the rules.
// Which leases are accepted is a pure function of the lease set, so a reconcile never oscillates between
// two claimants; flanneld has no such check ("last event wins", pkg/backend/vxlan/vxlan_network.go).
import type { Lease, LeaseEvent } from './lease.js';
import { checkRemoteLease } from './lease-rules.js';
import type { LeaseRules } from './lease-rules.js';
import type { Logger } from './logger.js';

/** Options of {@link LeaseScreen}. */
export interface LeaseScreenOptions {
  readonly rules: LeaseRules;
  /** Rejections are logged here at `warn`, once per lease and reason. */
  readonly logger: Logger;
  /**
   * Keys no two accepted leases may share, besides their subnets (vxlan: `VtepMAC 0e:2a:…`). Called once
   * per lease version, and once for `rules.ownLease`, whose keys no remote lease may claim; return `[]`
   * for a lease the backend will ignore anyway.
   */
  readonly conflictKeys?: (lease: Lease) => readonly string[];
}

interface Entry {
  readonly id: string;
  readonly lease: Lease;
  /** Why the lease fails on its own; `undefined` when it passes. */
  readonly problem: string | undefined;
  readonly keys: readonly string[];
  accepted: boolean;
}

/**
 * Screens a stream of lease batches (a `LeaseWatcher`'s output) down to the leases that may be
 * programmed, turning each batch into the changes of the accepted set.
 *
 * @example
 * ```ts
 * const screen = new LeaseScreen({ rules: leaseRulesFor(config, ownLease), logger, conflictKeys });
 * const changes = screen.update(watcher.apply(result)); // only accepted leases, added or removed
 * screen.leases; // every accepted lease
 * ```
 */
export class LeaseScreen {
  readonly #options: LeaseScreenOptions;
  readonly #entries = new Map<string, Entry>();
  /** Key → the leases claiming it (only leases that pass on their own claim keys). */
  readonly #claims = new Map<string, Entry[]>();
  /** Lease id → the rejection last logged for it. */
  readonly #warned = new Map<string, string>();
  #list: Lease[] | undefined = [];
  /** The keys of this node's own lease: a remote lease claiming one is refused. */
  readonly #ownKeys: ReadonlySet<string>;

  constructor(options: LeaseScreenOptions) {
    this.#options = options;
    const own = options.rules.ownLease;
    this.#ownKeys = new Set(own === undefined ? [] : (options.conflictKeys?.(own) ?? []));
  }

  /** Every accepted lease (cached until the accepted set changes). */
  get leases(): readonly Lease[] {
    if (this.#list === undefined) {
      const list: Lease[] = [];
      for (const entry of this.#entries.values()) if (entry.accepted) list.push(entry.lease);
      this.#list = list;
    }
    return this.#list;
  }

  /** Applies a batch of lease changes and returns the changes of the accepted set. */
  update(batch: readonly LeaseEvent[]): LeaseEvent[] {
    if (batch.length === 0) return [];
    // Per lease id touched: the lease accepted before the batch (undefined: none). Entries keep their
    // `accepted` flag of before the batch until the recount at the end.
    const before = new Map<string, Lease | undefined>();
    const note = (entry: Entry | undefined, id: string): void => {
      if (!before.has(id)) before.set(id, entry?.accepted === true ? entry.lease : undefined);
    };
    for (const event of batch) {
      const id = leaseId(event.lease);
      const old = this.#entries.get(id);
      note(old, id);
      if (old !== undefined) {
        this.#entries.delete(id);
        for (const key of old.keys) this.#unclaim(key, old, note);
      }
      if (event.type === 'added') {
        const entry = this.#entry(id, event.lease);
        this.#entries.set(id, entry);
        for (const key of entry.keys) this.#claim(key, entry, note);
      }
    }
    const changes: LeaseEvent[] = [];
    for (const [id, was] of before) {
      const entry = this.#entries.get(id);
      if (entry !== undefined) entry.accepted = this.#wins(entry);
      const now = entry?.accepted === true ? entry.lease : undefined;
      if (now !== undefined && now !== was) changes.push({ type: 'added', lease: now });
      else if (now === undefined && was !== undefined) changes.push({ type: 'removed', lease: was });
      this.#report(id, entry);
    }
    if (changes.length > 0) this.#list = undefined;
    return changes;
  }

  #entry(id: string, lease: Lease): Entry {
    let problem = checkRemoteLease(lease, this.#options.rules);
    const keys: string[] = [];
    if (problem === undefined) {
      if (lease.ipv6Subnet !== undefined) keys.push(`IPv6 subnet ${lease.ipv6Subnet.toString()}`);
      for (const key of this.#options.conflictKeys?.(lease) ?? []) {
        if (this.#ownKeys.has(key)) {
          problem = `${key} is this node's own`;
          keys.length = 0;
          break;
        }
        keys.push(key);
      }
    }
    return { id, lease, problem, keys, accepted: false };
  }

  #claim(key: string, entry: Entry, note: (entry: Entry, id: string) => void): void {
    const claimants = this.#claims.get(key);
    if (claimants === undefined) {
      this.#claims.set(key, [entry]);
      return;
    }
    for (const other of claimants) note(other, other.id);
    claimants.push(entry);
  }

  #unclaim(key: string, entry: Entry, note: (entry: Entry, id: string) => void): void {
    const claimants = this.#claims.get(key);
    if (claimants === undefined) return;
    const at = claimants.indexOf(entry);
    if (at >= 0) claimants.splice(at, 1);
    if (claimants.length === 0) this.#claims.delete(key);
    else for (const other of claimants) note(other, other.id);
  }

  /** Passes on its own and holds each of its keys first in lease order. */
  #wins(entry: Entry): boolean {
    if (entry.problem !== undefined) return false;
    for (const key of entry.keys) if (this.#winner(key) !== entry) return false;
    return true;
  }

  #winner(key: string): Entry | undefined {
    const claimants = this.#claims.get(key);
    if (claimants === undefined) return undefined;
    let best = claimants[0];
    for (let i = 1; i < claimants.length; i += 1) if (compareLeaseOrder(claimants[i]!.lease, best!.lease) < 0) best = claimants[i];
    return best;
  }

  /** Logs why a lease is left out, once per lease and reason; forgets leases that are gone or accepted. */
  #report(id: string, entry: Entry | undefined): void {
    if (entry === undefined || entry.accepted) {
      this.#warned.delete(id);
      return;
    }
    let reason = entry.problem;
    let fields: Record<string, unknown> = { lease: id };
    if (reason === undefined) {
      const key = entry.keys.find((candidate) => this.#winner(candidate) !== entry);
      const winner = key === undefined ? undefined : this.#winner(key);
      if (key === undefined || winner === undefined) return;
      reason = `${key} is also claimed by lease ${winner.id}, which is older (or sorts first) and is kept`;
      fields = { lease: id, conflictsWith: winner.id, claim: key };
    }
    if (this.#warned.get(id) === reason) return;
    this.#warned.set(id, reason);
    this.#options.logger.warn(fields, `ignoring lease ${id}: ${reason}`);
  }
}

/** The identity of a lease in a watch: its IPv4 subnet (the etcd key), else its IPv6 subnet. */
function leaseId(lease: Lease): string {
  if (lease.subnet !== undefined) return lease.subnet.toString();
  return lease.ipv6Subnet?.toString() ?? '';
}

/**
 * Lease order for conflicts: the older key first (etcd `create_revision`, when both carry it), then by IPv4
 * subnet, then IPv6 subnet (etcd's key order).
 *
 * @example
 * ```ts
 * [rogue, peer].sort(compareLeaseOrder)[0]; // the lease that keeps a contested VtepMAC
 * ```
 */
export function compareLeaseOrder(a: Lease, b: Lease): number {
  if (a.createRevision !== undefined && b.createRevision !== undefined && a.createRevision !== b.createRevision) {
    return a.createRevision < b.createRevision ? -1 : 1;
  }
  if (a.subnet !== undefined && b.subnet !== undefined) {
    const v4 = compareNet(a.subnet, b.subnet);
    if (v4 !== 0) return v4;
  } else if (a.subnet !== undefined || b.subnet !== undefined) {
    return a.subnet !== undefined ? -1 : 1;
  }
  if (a.ipv6Subnet !== undefined && b.ipv6Subnet !== undefined) return compareNet(a.ipv6Subnet, b.ipv6Subnet);
  return 0;
}

function compareNet(a: NonNullable<Lease['subnet']>, b: NonNullable<Lease['subnet']>): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.prefixLength - b.prefixLength;
}
