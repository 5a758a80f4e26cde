// CONTRACT — what a datastore (etcd, Kubernetes, memory) offers the daemon and backends.
import type { IpNet } from './ip-net.js';
import type { Lease, LeaseAttributes, LeaseWatchCursor, LeaseWatchResult } from './lease.js';
import type { NetworkConfig } from './network-config.js';

/** Common per-call options. */
export interface CallOptions {
  /** Cancels the call; it then rejects with a `FlannelError` coded `ABORTED`. */
  readonly signal?: AbortSignal;
}

/** Options of {@link SubnetManager.acquireLease}. */
export interface AcquireLeaseOptions extends CallOptions {
  /** Subnets this node held before (read from subnet.env); reused when free and still valid. */
  readonly previous?: { readonly subnet?: IpNet; readonly ipv6Subnet?: IpNet };
}

/** Options of {@link SubnetManager.watchLeases}. */
export interface WatchLeasesOptions {
  /** Ends the watch: the iterator returns. Required: a watch otherwise runs forever. */
  readonly signal: AbortSignal;
  /** Resume after this cursor instead of starting with a snapshot. */
  readonly cursor?: LeaseWatchCursor;
}

/** Addresses a previous run left in the datastore (Kubernetes node annotations). */
export interface StoredNodeData {
  readonly vtepMac?: string;
  readonly vtepMacV6?: string;
  readonly publicIP?: string;
  readonly publicIPv6?: string;
}

/**
 * A subnet lease manager (flannel's `subnet.Manager`). Implementations: `@flannel-ts/subnet-etcd`,
 * `@flannel-ts/subnet-kube`, and the in-memory reference in `@flannel-ts/core/testing`. All pass
 * `testSubnetManager` from `@flannel-ts/core/testing/vitest`.
 */
export interface SubnetManager {
  readonly specificationVersion: 'v1';
  /** Short name for logs (`etcd`, `kube`, `memory`). */
  readonly name: string;

  /** Reads the network config. Rejects `CONFIG_NOT_FOUND` (retryable) when there is none yet. */
  getNetworkConfig(options?: CallOptions): Promise<NetworkConfig>;

  /**
   * Acquires a lease for this node: reuses one carrying the same PublicIP if it still fits the config,
   * else `options.previous` when free, else a free subnet. Rejects `SUBNETS_EXHAUSTED` or
   * `LEASE_ACQUIRE_FAILED`.
   */
  acquireLease(attributes: LeaseAttributes, options?: AcquireLeaseOptions): Promise<Lease>;

  /** Extends the lease's expiry, keeping its attributes; resolves to the renewed lease. */
  renewLease(lease: Lease, options?: CallOptions): Promise<Lease>;

  /**
   * Every lease in the network: first a snapshot, then events; a snapshot again whenever the
   * datastore lost history (etcd compaction). Leases that do not decode are skipped with a warning.
   * The own lease is included; `LeaseWatcher` filters it.
   */
  watchLeases(options: WatchLeasesOptions): AsyncIterable<LeaseWatchResult>;

  /**
   * Optional (flannel's `WatchLease`, which its kube manager leaves unimplemented): this node's lease
   * alone — a snapshot holding it (empty when it is gone), then only the events of its key — so that a
   * backend that watches no other lease (alloc) can still notice its lease overwritten, without reading
   * every lease. `options.cursor` is not supported.
   */
  watchLease?(lease: Lease, options: WatchLeasesOptions): AsyncIterable<LeaseWatchResult>;

  /**
   * Keeps this node's lease: renews it before expiry (etcd) or marks the node ready (Kubernetes).
   * Resolves when `signal` aborts; rejects with `LEASE_REVOKED` when the lease is deleted under us.
   */
  completeLease(lease: Lease, options: { readonly signal: AbortSignal }): Promise<void>;

  /** Data a previous run stored for this node (VTEP MACs, public IPs); `{}` when the datastore keeps none. */
  getStoredNodeData(options?: CallOptions): Promise<StoredNodeData>;

  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}
