/**
 * Stable codes of {@link EtcdError}:
 * - `UNAVAILABLE`: no member could be reached, or the connection broke (retryable).
 * - `DEADLINE_EXCEEDED`: the call's deadline passed (retryable).
 * - `AUTH_FAILED`: wrong user name or password, or authentication is required and none was given.
 * - `PERMISSION_DENIED`: the user may not perform the operation.
 * - `TLS_FAILED`: the TLS handshake failed (unknown CA, bad certificate…); the message says why.
 * - `COMPACTED`: the requested revision has been compacted.
 * - `CLOSED`: the client was closed.
 * - `ABORTED`: the caller's signal aborted the call.
 * - `PROTOCOL`: the server sent something that is not valid gRPC/protobuf for the call.
 * - `WATCH_CANCELED`: etcd cancelled a watch for a reason other than compaction or auth (`reason` says which).
 * - `REQUEST_FAILED`: etcd refused the request for another reason (the message is etcd's).
 */
export type EtcdErrorCode =
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'AUTH_FAILED'
  | 'PERMISSION_DENIED'
  | 'TLS_FAILED'
  | 'COMPACTED'
  | 'CLOSED'
  | 'ABORTED'
  | 'PROTOCOL'
  | 'WATCH_CANCELED'
  | 'REQUEST_FAILED';

/**
 * Which etcd server error this is, when etcd named one of those clientv3 tells apart (`rpctypes` in etcd's
 * `api/v3rpc/rpctypes/error.go`); matched once, on etcd's exact text, where the status or cancel arrives.
 * - `INVALID_AUTH_TOKEN`: etcd does not know the token (restart, TTL): re-authenticate.
 * - `AUTH_OLD_REVISION`: the token predates an auth change (`user add`, `grant-role`): re-authenticate.
 * - `USER_EMPTY`: the request carried no user: re-authenticate when credentials are configured.
 * - `AUTH_NOT_ENABLED`: `Authenticate` on an etcd without auth; the client then sends no token until etcd asks.
 * - `AUTH_INVALID_CREDENTIALS`: wrong user name or password.
 * - `PERMISSION_DENIED`, `COMPACTED`, `FUTURE_REVISION`, `NO_LEADER`, `LEASE_NOT_FOUND`: as named.
 */
export type EtcdServerReason =
  | 'INVALID_AUTH_TOKEN'
  | 'AUTH_OLD_REVISION'
  | 'USER_EMPTY'
  | 'AUTH_NOT_ENABLED'
  | 'AUTH_INVALID_CREDENTIALS'
  | 'PERMISSION_DENIED'
  | 'COMPACTED'
  | 'FUTURE_REVISION'
  | 'NO_LEADER'
  | 'LEASE_NOT_FOUND';

/** Options of {@link EtcdError}. */
export interface EtcdErrorOptions {
  /** The gRPC status code, when the server sent one. */
  readonly grpcStatus?: number;
  /** The endpoint the failing attempt went to. */
  readonly endpoint?: string;
  /** The etcd server error, when etcd named a known one. */
  readonly reason?: EtcdServerReason;
  /** For `COMPACTED` watch cancels: the oldest revision etcd still has. */
  readonly compactRevision?: bigint;
  readonly cause?: unknown;
}

/**
 * A failed etcd call. `message` names the RPC and carries etcd's own text (`etcdserver: …`); it never
 * contains the password, the token or key material.
 */
export class EtcdError extends Error {
  override readonly name = 'EtcdError';
  readonly code: EtcdErrorCode;
  readonly grpcStatus: number | undefined;
  readonly endpoint: string | undefined;
  readonly reason: EtcdServerReason | undefined;
  readonly compactRevision: bigint | undefined;

  constructor(code: EtcdErrorCode, message: string, options: EtcdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.grpcStatus = options.grpcStatus;
    this.endpoint = options.endpoint;
    this.reason = options.reason;
    this.compactRevision = options.compactRevision;
  }

  /**
   * Whether retrying the call later may succeed: `UNAVAILABLE`, `DEADLINE_EXCEEDED`, and a stale token
   * (`INVALID_AUTH_TOKEN`, `AUTH_OLD_REVISION`: the client has dropped it, the next call authenticates again).
   */
  get retryable(): boolean {
    return this.code === 'UNAVAILABLE' || this.code === 'DEADLINE_EXCEEDED' || this.reason === 'INVALID_AUTH_TOKEN' || this.reason === 'AUTH_OLD_REVISION';
  }

  /** `instanceof` that also works across duplicated copies of this package. */
  static isInstance(value: unknown): value is EtcdError {
    return value instanceof Error && value.name === 'EtcdError' && typeof (value as { code?: unknown }).code === 'string';
  }
}
