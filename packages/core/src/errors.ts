/**
 * Every stable error code a flannel-ts package raises. Codes never change meaning once published;
 * match on `code`, not on `message`.
 */
export type FlannelErrorCode =
  /** A network config (JSON) is malformed or breaks one of flannel's rules. */
  | 'CONFIG_INVALID'
  /** The datastore holds no network config (yet). Retryable: flannel waits for it. */
  | 'CONFIG_NOT_FOUND'
  /** A command-line flag or `FLANNELD_*` environment value is invalid. */
  | 'FLAG_INVALID'
  /** Lease data (an etcd key/value or node annotations) could not be decoded or is out of range. */
  | 'LEASE_INVALID'
  /** Every subnet between SubnetMin and SubnetMax is taken. */
  | 'SUBNETS_EXHAUSTED'
  /** Acquisition lost every race for a free subnet within the attempt budget. */
  | 'LEASE_ACQUIRE_FAILED'
  /** This node's own lease was deleted or expired while running. Fatal for the daemon. */
  | 'LEASE_REVOKED'
  /** The datastore (etcd, Kubernetes API) could not be reached or refused the request. */
  | 'DATASTORE_UNAVAILABLE'
  /** The datastore refused the credentials or TLS identity. */
  | 'DATASTORE_AUTH_FAILED'
  /** The configured backend type is unknown or not supported here. */
  | 'BACKEND_UNSUPPORTED'
  /** A backend could not set up or maintain its data path. */
  | 'BACKEND_FAILED'
  /** No usable external interface was found. */
  | 'INTERFACE_NOT_FOUND'
  /** A subnet.env file could not be read, parsed or written. */
  | 'SUBNET_FILE_INVALID'
  /** iptables/nftables rules could not be applied. */
  | 'TRAFFIC_RULES_FAILED'
  /** The operation was cancelled through its `AbortSignal`. */
  | 'ABORTED'
  /** A bug: an invariant did not hold. */
  | 'INTERNAL';

/** Options accepted by {@link FlannelError}. */
export interface FlannelErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Whether retrying the same operation later may succeed. Defaults by code. */
  readonly isRetryable?: boolean;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<FlannelErrorCode> = new Set<FlannelErrorCode>([
  'CONFIG_NOT_FOUND',
  'DATASTORE_UNAVAILABLE',
  'LEASE_ACQUIRE_FAILED',
]);

import { FLANNEL_TS_ERROR } from './flannel-ts-error.js';

const MARKER = Symbol.for('@flannel-ts/core/FlannelError');

/**
 * The base of every error a flannel-ts package throws on purpose.
 *
 * @example
 * ```ts
 * try { await manager.acquireLease(attributes) }
 * catch (error) {
 *   if (FlannelError.isInstance(error) && error.code === 'SUBNETS_EXHAUSTED') process.exit(1);
 *   throw error;
 * }
 * ```
 */
export class FlannelError extends Error {
  /** Stable machine-readable code. */
  readonly code: FlannelErrorCode;
  /** Whether retrying the same operation later may succeed. */
  readonly isRetryable: boolean;
  /** @internal brand that survives duplicate installs of this package. */
  readonly [MARKER] = true;
  /** @internal brand shared by every flannel-ts error (`isFlannelTsError`). */
  readonly [FLANNEL_TS_ERROR] = true;

  constructor(code: FlannelErrorCode, message: string, options: FlannelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FlannelError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? RETRYABLE_BY_DEFAULT.has(code);
  }

  /** True for any `FlannelError`, even one created by another copy of this package. */
  static isInstance(value: unknown): value is FlannelError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** True when `value` is a `FlannelError` with the given code. */
  static hasCode(value: unknown, code: FlannelErrorCode): value is FlannelError {
    return FlannelError.isInstance(value) && value.code === code;
  }
}

/** Throws a `FlannelError` with code `ABORTED` when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new FlannelError('ABORTED', 'operation aborted', { cause: signal.reason });
  }
}
