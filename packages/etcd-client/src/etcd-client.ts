import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  LeaseGrantRequest,
  LeaseGrantResponse,
  LeaseRevokeRequest,
  LeaseRevokeResponse,
  LeaseTimeToLiveRequest,
  LeaseTimeToLiveResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchRequest,
  WatchResponse,
} from './messages.js';

/** TLS material for `https://` endpoints (PEM text or bytes). */
export interface EtcdTlsOptions {
  /** CA bundle to verify the server with; absent: the system roots. */
  readonly ca?: string | Buffer;
  /** Client certificate chain (with `key`: mutual TLS). */
  readonly cert?: string | Buffer;
  /** Client private key. Never logged nor put in an error message. */
  readonly key?: string | Buffer;
}

/** Options of `createEtcdClient`. */
export interface EtcdClientOptions {
  /**
   * The cluster's members, in preference order: `http://host:port`, `https://host:port`, or `host:port`
   * (https when `tls` has a CA or certificate, http otherwise, as clientv3).
   */
  readonly endpoints: readonly string[];
  readonly tls?: EtcdTlsOptions;
  /** etcd user and password: the client authenticates and sends the token with every call. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Deadline of one attempt of a unary call, in ms (default 10 000). Not applied to watch streams. */
  readonly requestTimeoutMs?: number;
  /** Time allowed to connect (TCP + TLS + HTTP/2 settings) to one endpoint, in ms (default 5 000). */
  readonly dialTimeoutMs?: number;
  /** HTTP/2 PING interval on every connection, idle or not, in ms (default 30 000; 0 disables). */
  readonly keepaliveIntervalMs?: number;
  /** A PING not answered within this many ms closes the connection (default 10 000). */
  readonly keepaliveTimeoutMs?: number;
  /**
   * HTTP/2 receive windows in bytes: per stream (default 4 MiB) and per connection (default 16 MiB). Node's
   * 64 KiB defaults cost a round trip per 64 KiB of a large listing on a link with latency.
   */
  readonly http2Windows?: { readonly streamBytes?: number; readonly connectionBytes?: number };
}

/** Per-call options of the unary methods. */
export interface EtcdCallOptions {
  /** Aborts the call (it rejects with an `EtcdError` of code `ABORTED`). */
  readonly signal?: AbortSignal;
  /** Overrides `requestTimeoutMs` for this call. */
  readonly timeoutMs?: number;
}

/** Options of {@link EtcdClient.watch}. */
export interface WatchOptions {
  /**
   * Send etcd's `hasleader` metadata (clientv3's `WithRequireLeader`): a member that loses its leader (cut
   * off from the cluster's majority) ends the stream with `UNAVAILABLE` ("etcdserver: no leader") instead
   * of keeping it open, silent. A failed watch makes the next one start at another endpoint.
   */
  readonly requireLeader?: boolean;
}

/**
 * One `Watch` bidirectional stream. Send create/cancel requests with {@link WatchStream.send}; iterate the
 * responses. Iteration ends when the server ends the stream and throws an `EtcdError` when it fails;
 * {@link WatchStream.close} cancels the stream and ends the iteration.
 */
export interface WatchStream extends AsyncIterable<WatchResponse> {
  send(request: WatchRequest): void;
  close(): void;
}

/**
 * A connection to an etcd v3 cluster: the subset of the KV, Lease, Watch and Auth services flannel needs.
 * Unary calls go to the first reachable endpoint; an attempt that fails to reach a member moves on to the
 * next one. Every failure rejects with an `EtcdError`.
 */
export interface EtcdClient {
  range(request: RangeRequest, options?: EtcdCallOptions): Promise<RangeResponse>;
  put(request: PutRequest, options?: EtcdCallOptions): Promise<PutResponse>;
  deleteRange(request: DeleteRangeRequest, options?: EtcdCallOptions): Promise<DeleteRangeResponse>;
  txn(request: TxnRequest, options?: EtcdCallOptions): Promise<TxnResponse>;
  leaseGrant(request: LeaseGrantRequest, options?: EtcdCallOptions): Promise<LeaseGrantResponse>;
  leaseRevoke(request: LeaseRevokeRequest, options?: EtcdCallOptions): Promise<LeaseRevokeResponse>;
  leaseTimeToLive(request: LeaseTimeToLiveRequest, options?: EtcdCallOptions): Promise<LeaseTimeToLiveResponse>;
  /** Opens a `Watch` stream (connecting lazily; a failure surfaces through the iteration). */
  watch(options?: WatchOptions): WatchStream;
  /** Closes every connection; later calls reject with code `CLOSED`. Idempotent. */
  close(): void;
}
