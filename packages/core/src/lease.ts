// CONTRACT — the lease model. Wire codecs live in lease-key.ts / lease-attributes.ts.
import type { IpNet } from './ip-net.js';

/**
 * What a node publishes about itself with its lease (flannel's `LeaseAttrs`).
 * `backendData`/`backendV6Data` are kept as the exact JSON text read or to be written, so a lease
 * written by flannel round-trips byte for byte.
 */
export interface LeaseAttributes {
  /** `PublicIP`: the node's IPv4 underlay address (`0.0.0.0` when none). */
  readonly publicIP: string;
  /** `PublicIPv6`, absent when the node has none (JSON `null`). */
  readonly publicIPv6?: string;
  /** `BackendType` (`vxlan`, `host-gw`…); absent for udp/alloc, which flannel leaves empty. */
  readonly backendType?: string;
  /** `BackendData` as raw JSON text, e.g. `{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}`. */
  readonly backendData?: string;
  /** `BackendV6Data` as raw JSON text. */
  readonly backendV6Data?: string;
}

/** A subnet lease: which subnet(s) a node holds, until when, and what it published. */
export interface Lease {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  /** The IPv4 subnet (present when `enableIPv4`). */
  readonly subnet?: IpNet;
  /** The IPv6 subnet (present when `enableIPv6`). */
  readonly ipv6Subnet?: IpNet;
  readonly attributes: LeaseAttributes;
  /** When the lease expires; `undefined` for a reservation or a lease that never expires (Kubernetes). */
  readonly expiration?: Date;
  /** Datastore revision the lease was read at (etcd `mod_revision`), when known. */
  readonly revision?: bigint;
  /**
   * Datastore revision the lease's key was created at (etcd `create_revision`), when known: unchanged by
   * renewals, so the older of two conflicting leases can be told (see `LeaseScreen`).
   */
  readonly createRevision?: bigint;
}

/** A lease appeared (or changed) or disappeared. */
export type LeaseEvent =
  | { readonly type: 'added'; readonly lease: Lease }
  | { readonly type: 'removed'; readonly lease: Lease };

/** Opaque resume point of a lease watch; pass it back to resume without a fresh snapshot. */
export type LeaseWatchCursor = unknown;

/**
 * One item of a lease watch: either the full current set (`snapshot`, e.g. at start or after
 * etcd compaction) or incremental `events`. Each carries the cursor to resume after it.
 */
export type LeaseWatchResult =
  | { readonly kind: 'snapshot'; readonly leases: readonly Lease[]; readonly cursor: LeaseWatchCursor }
  | { readonly kind: 'events'; readonly events: readonly LeaseEvent[]; readonly cursor: LeaseWatchCursor };
