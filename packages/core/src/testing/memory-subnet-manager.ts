// The in-memory reference SubnetManager: flannel's etcd allocation algorithm over a Map, with an
// injectable clock and random source. Every behaviour the conformance suite checks is implemented
// here first; the etcd and kube managers are measured against it.
import { FlannelError, throwIfAborted } from '../errors.js';
import type { IpNet } from '../ip-net.js';
import type { Lease, LeaseAttributes, LeaseEvent, LeaseWatchResult } from '../lease.js';
import type { NetworkConfig } from '../network-config.js';
import { parseNetworkConfig } from '../parse-network-config.js';
import { subnetsBetween } from '../subnets-between.js';
import type { AcquireLeaseOptions, CallOptions, StoredNodeData, SubnetManager, WatchLeasesOptions } from '../subnet-manager.js';

/** Time as the memory manager sees it; inject a fake one to drive expiry and renewal in tests. */
export interface MemoryClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link createMemorySubnetManager}. */
export interface MemorySubnetManagerOptions {
  /** The network config (JSON text as stored in etcd, or resolved). Absent: `CONFIG_NOT_FOUND` until `setConfig`. */
  readonly config?: NetworkConfig | string;
  /** Uniform random number in [0, 1), used to pick among free subnets. Default `Math.random`. */
  readonly random?: () => number;
  /** Default: the real clock (`Date.now`, unref'd `setTimeout`). */
  readonly clock?: MemoryClock;
  /** Lease TTL in ms. Default 24 h (flannel's `subnetTTL`). */
  readonly ttlMs?: number;
  /** `completeLease` renews this long before expiry. Default 1 h (`--subnet-lease-renew-margin`). */
  readonly renewMarginMs?: number;
  /** What `getStoredNodeData` returns. Default `{}` (as etcd). */
  readonly storedNodeData?: StoredNodeData;
  /** Name for logs. Default `memory`. */
  readonly name?: string;
}

/** A lease written from outside (another node, an operator's reservation). */
export interface ExternalLease {
  readonly subnet?: IpNet;
  readonly ipv6Subnet?: IpNet;
  readonly attributes: LeaseAttributes;
  /** Time to live in ms; absent → a reservation, which never expires. */
  readonly ttlMs?: number;
}

/** The memory manager plus the levers tests pull from outside. */
export interface MemorySubnetManager extends SubnetManager {
  /** Replaces the network config (JSON text or resolved); `undefined` removes it. */
  setConfig(config: NetworkConfig | string | undefined): void;
  /** Writes a lease as another node would; emits `added` to watchers. Returns the stored lease. */
  putLease(lease: ExternalLease): Lease;
  /** Deletes the lease holding these subnets; emits `removed`. False when there is none. */
  deleteLease(lease: { readonly subnet?: IpNet; readonly ipv6Subnet?: IpNet }): boolean;
  /** Every current lease (expired ones swept first). */
  listLeases(): Lease[];
  /** Forgets the event history, as etcd compaction does: watchers resuming behind it get a snapshot. */
  compact(): void;
  /** Removes expired leases now (also happens on a timer and before every operation). */
  sweepExpired(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const MAX_CANDIDATES = 100;

const realClock: MemoryClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, Math.min(ms, 2_147_483_647));
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function keyOf(lease: { readonly subnet?: IpNet; readonly ipv6Subnet?: IpNet }): string {
  return `${lease.subnet?.toString() ?? ''}&${lease.ipv6Subnet?.toString() ?? ''}`;
}

function fitsRange(subnet: IpNet | undefined, len: number | undefined, min: IpNet | undefined, max: IpNet | undefined): boolean {
  return (
    subnet !== undefined &&
    min !== undefined &&
    max !== undefined &&
    subnet.prefixLength === len &&
    subnet.value >= min.value &&
    subnet.value <= max.value
  );
}

/** flannel's `isSubnetConfigCompat` && `isIPv6SubnetConfigCompat`. */
function isCompatible(config: NetworkConfig, lease: { readonly subnet?: IpNet; readonly ipv6Subnet?: IpNet }): boolean {
  const v4 = config.enableIPv4
    ? fitsRange(lease.subnet, config.subnetLen, config.subnetMin, config.subnetMax)
    : lease.subnet === undefined;
  const v6 = config.enableIPv6
    ? fitsRange(lease.ipv6Subnet, config.ipv6SubnetLen, config.ipv6SubnetMin, config.ipv6SubnetMax)
    : lease.ipv6Subnet === undefined;
  return v4 && v6;
}

function abortable<T>(signal: AbortSignal | undefined, run: () => T): Promise<T> {
  try {
    throwIfAborted(signal);
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * An in-memory {@link SubnetManager} with flannel's etcd semantics: acquisition reuses a lease with
 * the same PublicIP when it still fits the config (else deletes it), then `previous` when free and
 * compatible, else picks uniformly at random among the first 100 free subnets from SubnetMin to
 * SubnetMax; leases expire after the TTL unless they are reservations; `watchLeases` yields a snapshot
 * then events with numeric cursors; `completeLease` renews before expiry and rejects `LEASE_REVOKED`
 * when the own lease is deleted. It passes `testSubnetManager`.
 *
 * @example
 * ```ts
 * const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}', random: () => 0 });
 * const lease = await manager.acquireLease({ publicIP: '192.168.1.10', backendType: 'vxlan' });
 * lease.subnet?.toString(); // '10.5.1.0/24' (random 0 picks the first free subnet)
 * manager.putLease({ subnet: IpNet.parse('10.5.9.0/24'), attributes: { publicIP: '192.168.1.11' } }); // another node
 * ```
 */
export function createMemorySubnetManager(options: MemorySubnetManagerOptions = {}): MemorySubnetManager {
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const ttlMs = options.ttlMs ?? DAY_MS;
  const renewMarginMs = options.renewMarginMs ?? HOUR_MS;
  const leases = new Map<string, Lease>();
  let history: { revision: number; event: LeaseEvent }[] = [];
  let revision = 0;
  let compactedThrough = 0;
  let config: NetworkConfig | undefined;
  let closed = false;
  let waiters: (() => void)[] = [];
  let expiryTimer: unknown;

  const resolveConfig = (value: NetworkConfig | string | undefined): NetworkConfig | undefined =>
    typeof value === 'string' ? parseNetworkConfig(value).config : value;
  config = resolveConfig(options.config);

  const notify = (): void => {
    const pending = waiters;
    waiters = [];
    for (const wake of pending) wake();
  };

  const record = (event: LeaseEvent): void => {
    revision++;
    history.push({ revision, event });
    notify();
  };

  const scheduleExpiry = (): void => {
    if (expiryTimer !== undefined) clock.clearTimeout(expiryTimer);
    expiryTimer = undefined;
    if (closed) return;
    let earliest = Infinity;
    for (const lease of leases.values()) {
      if (lease.expiration !== undefined) earliest = Math.min(earliest, lease.expiration.getTime());
    }
    if (earliest === Infinity) return;
    expiryTimer = clock.setTimeout(sweepExpired, Math.max(0, earliest - clock.now()));
  };

  const store = (lease: Lease): Lease => {
    const stored = { ...lease, revision: BigInt(revision + 1) };
    leases.set(keyOf(lease), stored);
    record({ type: 'added', lease: stored });
    scheduleExpiry();
    return stored;
  };

  const remove = (key: string): boolean => {
    const lease = leases.get(key);
    if (lease === undefined) return false;
    leases.delete(key);
    record({ type: 'removed', lease });
    scheduleExpiry();
    return true;
  };

  function sweepExpired(): void {
    const now = clock.now();
    for (const [key, lease] of leases) {
      if (lease.expiration !== undefined && lease.expiration.getTime() <= now) remove(key);
    }
    scheduleExpiry();
  }

  const requireConfig = (): NetworkConfig => {
    if (config === undefined) throw new FlannelError('CONFIG_NOT_FOUND', 'network config not found in the memory store');
    return config;
  };

  const expiration = (): Date => new Date(clock.now() + ttlMs);

  const pickFree = (subnets: Iterable<IpNet>, taken: (candidate: IpNet) => boolean): IpNet | undefined => {
    const candidates: IpNet[] = [];
    for (const candidate of subnets) {
      if (candidates.length >= MAX_CANDIDATES) break;
      if (!taken(candidate)) candidates.push(candidate);
    }
    if (candidates.length === 0) return undefined;
    return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))];
  };

  const acquire = (attributes: LeaseAttributes, acquireOptions: AcquireLeaseOptions): Lease => {
    const current = requireConfig();
    sweepExpired();
    const all = [...leases.values()];

    // 1. Reuse the lease carrying our public address (PublicIP; PublicIPv6 on IPv6-only networks).
    const mine = all.find((lease) =>
      current.enableIPv4 ? lease.attributes.publicIP === attributes.publicIP : lease.attributes.publicIPv6 === attributes.publicIPv6,
    );
    if (mine !== undefined) {
      if (isCompatible(current, mine)) {
        const { expiration: _previous, ...rest } = mine;
        return store({ ...rest, attributes, ...(mine.expiration !== undefined && { expiration: expiration() }) });
      }
      remove(keyOf(mine));
    }

    // 2. The previous subnet(s), when free and compatible.
    const remaining = [...leases.values()];
    const previous = acquireOptions.previous;
    let subnet: IpNet | undefined;
    let ipv6Subnet: IpNet | undefined;
    if (previous !== undefined && (previous.subnet !== undefined || previous.ipv6Subnet !== undefined)) {
      const taken = remaining.some(
        (lease) =>
          (previous.subnet !== undefined && lease.subnet?.overlaps(previous.subnet) === true) ||
          (previous.ipv6Subnet !== undefined && lease.ipv6Subnet?.overlaps(previous.ipv6Subnet) === true),
      );
      if (!taken && isCompatible(current, previous)) ({ subnet, ipv6Subnet } = previous);
    }

    // 3. A random free subnet among the first 100 from SubnetMin.
    if (subnet === undefined && ipv6Subnet === undefined) {
      if (current.enableIPv4) {
        subnet = pickFree(subnetsBetween(current.subnetMin!, current.subnetMax!, current.subnetLen!), (candidate) =>
          remaining.some((lease) => lease.subnet?.overlaps(candidate) === true),
        );
      }
      if (current.enableIPv6) {
        ipv6Subnet = pickFree(subnetsBetween(current.ipv6SubnetMin!, current.ipv6SubnetMax!, current.ipv6SubnetLen!), (candidate) =>
          remaining.some((lease) => lease.ipv6Subnet?.overlaps(candidate) === true),
        );
      }
      if ((current.enableIPv4 && subnet === undefined) || (current.enableIPv6 && ipv6Subnet === undefined)) {
        const range = current.enableIPv4 && subnet === undefined ? `${current.subnetMin!.address}..${current.subnetMax!.address}` : `${current.ipv6SubnetMin!.address}..${current.ipv6SubnetMax!.address}`;
        throw new FlannelError('SUBNETS_EXHAUSTED', `out of subnets: every subnet in ${range} is leased`);
      }
    }

    return store({
      enableIPv4: subnet !== undefined,
      enableIPv6: ipv6Subnet !== undefined,
      ...(subnet !== undefined && { subnet }),
      ...(ipv6Subnet !== undefined && { ipv6Subnet }),
      attributes,
      expiration: expiration(),
    });
  };

  const snapshotCursor = (): { kind: 'snapshot'; leases: Lease[]; cursor: number } => {
    sweepExpired();
    return { kind: 'snapshot', leases: [...leases.values()], cursor: revision };
  };

  async function* watch(watchOptions: WatchLeasesOptions): AsyncGenerator<LeaseWatchResult, void, undefined> {
    const { signal } = watchOptions;
    let cursor = typeof watchOptions.cursor === 'number' ? watchOptions.cursor : undefined;
    while (!signal.aborted && !closed) {
      if (cursor === undefined || cursor < compactedThrough || cursor > revision) {
        const snapshot = snapshotCursor();
        cursor = snapshot.cursor;
        yield snapshot;
        continue;
      }
      const after = cursor;
      const pending = history.filter((entry) => entry.revision > after);
      if (pending.length > 0) {
        cursor = pending[pending.length - 1]!.revision;
        yield { kind: 'events', events: pending.map((entry) => entry.event), cursor };
        continue;
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  const manager: MemorySubnetManager = {
    specificationVersion: 'v1',
    name: options.name ?? 'memory',

    getNetworkConfig: (callOptions: CallOptions = {}) => abortable(callOptions.signal, requireConfig),

    acquireLease: (attributes, acquireOptions = {}) => abortable(acquireOptions.signal, () => acquire(attributes, acquireOptions)),

    renewLease: (lease, callOptions = {}) =>
      abortable(callOptions.signal, () => {
        sweepExpired();
        const current = leases.get(keyOf(lease));
        if (current === undefined) throw new FlannelError('LEASE_REVOKED', `lease ${keyOf(lease)} no longer exists`);
        const { expiration: _previous, ...rest } = current;
        return store({ ...rest, attributes: lease.attributes, ...(current.expiration !== undefined && { expiration: expiration() }) });
      }),

    watchLeases: (watchOptions) => watch(watchOptions),

    async *watchLease(lease, watchOptions) {
      const key = keyOf(lease);
      for await (const result of watch({ signal: watchOptions.signal })) {
        if (result.kind === 'snapshot') yield { ...result, leases: result.leases.filter((other) => keyOf(other) === key) };
        else {
          const events = result.events.filter((event) => keyOf(event.lease) === key);
          if (events.length > 0) yield { ...result, events };
        }
      }
    },

    completeLease: async (lease, { signal }) => {
      const key = keyOf(lease);
      let expiresAt = leases.get(key)?.expiration ?? lease.expiration;
      let renewTimer: unknown;
      let renewError: unknown;
      let wakeLoop: (() => void) | undefined;
      const armRenewal = (): void => {
        if (renewTimer !== undefined) clock.clearTimeout(renewTimer);
        renewTimer = undefined;
        if (expiresAt === undefined) return;
        renewTimer = clock.setTimeout(() => {
          renewTimer = undefined;
          manager.renewLease(leases.get(key) ?? lease).then(
            // The loop sees the renewed expiration through the store and re-arms the timer.
            () => undefined,
            (error: unknown) => {
              renewError = error;
              wakeLoop?.();
            },
          );
        }, Math.max(0, expiresAt.getTime() - renewMarginMs - clock.now()));
      };
      try {
        if (!leases.has(key)) throw new FlannelError('LEASE_REVOKED', `lease ${key} has been revoked`);
        armRenewal();
        while (!signal.aborted && !closed) {
          if (renewError !== undefined) throw renewError;
          const current = leases.get(key);
          if (current === undefined) throw new FlannelError('LEASE_REVOKED', `lease ${key} has been revoked`);
          if (current.expiration?.getTime() !== expiresAt?.getTime()) {
            expiresAt = current.expiration;
            armRenewal();
          }
          await new Promise<void>((resolve) => {
            const wake = (): void => {
              signal.removeEventListener('abort', wake);
              wakeLoop = undefined;
              resolve();
            };
            wakeLoop = wake;
            waiters.push(wake);
            signal.addEventListener('abort', wake, { once: true });
          });
        }
      } finally {
        if (renewTimer !== undefined) clock.clearTimeout(renewTimer);
      }
    },

    getStoredNodeData: (callOptions: CallOptions = {}) => abortable(callOptions.signal, () => ({ ...options.storedNodeData })),

    close: () => {
      closed = true;
      if (expiryTimer !== undefined) clock.clearTimeout(expiryTimer);
      notify();
      return Promise.resolve();
    },

    setConfig: (value) => {
      config = resolveConfig(value);
    },

    putLease: (lease) =>
      store({
        enableIPv4: lease.subnet !== undefined,
        enableIPv6: lease.ipv6Subnet !== undefined,
        ...(lease.subnet !== undefined && { subnet: lease.subnet }),
        ...(lease.ipv6Subnet !== undefined && { ipv6Subnet: lease.ipv6Subnet }),
        attributes: lease.attributes,
        ...(lease.ttlMs !== undefined && { expiration: new Date(clock.now() + lease.ttlMs) }),
      }),

    deleteLease: (lease) => remove(keyOf(lease)),

    listLeases: () => {
      sweepExpired();
      return [...leases.values()];
    },

    compact: () => {
      compactedThrough = revision;
      history = [];
    },

    sweepExpired,
  };
  return manager;
}
