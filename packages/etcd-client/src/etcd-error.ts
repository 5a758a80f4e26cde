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
  | 'REQUEST_FAILED';

/** Options of {@link EtcdError}. */
export interface EtcdErrorOptions {
  /** The gRPC status code, when the server sent one. */
  readonly grpcStatus?: number;
  /** The endpoint the failing attempt went to. */
  readonly endpoint?: string;
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

  constructor(code: EtcdErrorCode, message: string, options: EtcdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.grpcStatus = options.grpcStatus;
    this.endpoint = options.endpoint;
  }

  /** Whether retrying the call later may succeed (`UNAVAILABLE`, `DEADLINE_EXCEEDED`). */
  get retryable(): boolean {
    return this.code === 'UNAVAILABLE' || this.code === 'DEADLINE_EXCEEDED';
  }

  /** `instanceof` that also works across duplicated copies of this package. */
  static isInstance(value: unknown): value is EtcdError {
    return value instanceof Error && value.name === 'EtcdError' && typeof (value as { code?: unknown }).code === 'string';
  }
}
