import type { KubeStatus } from './kube-status.js';

/**
 * Stable codes of {@link KubeError}:
 * - `UNAVAILABLE`: the API server could not be reached, the connection broke, or it answered 5xx/429 (retryable).
 * - `TIMEOUT`: the request's deadline passed (retryable).
 * - `UNAUTHORIZED`: 401, the credentials were refused.
 * - `FORBIDDEN`: 403, RBAC denies the verb on the resource.
 * - `NOT_FOUND`: 404.
 * - `CONFLICT`: 409 (`AlreadyExists`, `Conflict`).
 * - `INVALID`: 422 or 400, the server rejected the object or patch.
 * - `EXPIRED`: 410, the requested resourceVersion is too old (re-list).
 * - `TLS_FAILED`: the TLS handshake failed (unknown CA, bad certificate…).
 * - `CONFIG_INVALID`: the kubeconfig / in-cluster config / API URL is unusable; the message names the field.
 * - `PROTOCOL`: the server sent something that is not the expected JSON.
 * - `ABORTED`: the caller's signal aborted the call.
 * - `REQUEST_FAILED`: any other non-2xx answer.
 */
export type KubeErrorCode =
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID'
  | 'EXPIRED'
  | 'TLS_FAILED'
  | 'CONFIG_INVALID'
  | 'PROTOCOL'
  | 'ABORTED'
  | 'REQUEST_FAILED';

/** Options of {@link KubeError}. */
export interface KubeErrorOptions {
  /** The API server's `Status` body, when it sent one. */
  readonly status?: KubeStatus;
  /** The HTTP status code, when there was a response. */
  readonly httpStatus?: number;
  readonly cause?: unknown;
}

/**
 * A failed Kubernetes API call. `message` reads like client-go's (`nodes "n1" not found`); it never
 * contains a bearer token or key material.
 *
 * @example
 * ```ts
 * try { await client.getNode('n1') } catch (error) {
 *   if (KubeError.isInstance(error) && error.code === 'NOT_FOUND') console.log(error.status?.reason); // NotFound
 * }
 * ```
 */
export class KubeError extends Error {
  override readonly name = 'KubeError';
  readonly code: KubeErrorCode;
  /** The API server's `Status` (reason, code, details), when it sent one. */
  readonly status: KubeStatus | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: KubeErrorCode, message: string, options: KubeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.httpStatus = options.httpStatus ?? options.status?.code;
  }

  /** Whether retrying later may succeed: `UNAVAILABLE` and `TIMEOUT`. */
  get retryable(): boolean {
    return this.code === 'UNAVAILABLE' || this.code === 'TIMEOUT';
  }

  /** `instanceof` that also works across duplicated copies of this package. */
  static isInstance(value: unknown): value is KubeError {
    return value instanceof Error && value.name === 'KubeError' && typeof (value as { code?: unknown }).code === 'string';
  }
}

/**
 * Maps an HTTP status code to a {@link KubeErrorCode} as client-go's `errors.FromObject`/`IsXxx` helpers read it.
 *
 * @example
 * ```ts
 * codeForHttpStatus(410) // 'EXPIRED'
 * ```
 */
export function codeForHttpStatus(httpStatus: number): KubeErrorCode {
  switch (httpStatus) {
    case 400:
    case 422:
      return 'INVALID';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 410:
      return 'EXPIRED';
    case 429:
      return 'UNAVAILABLE';
    case 504:
      return 'TIMEOUT';
    default:
      return httpStatus >= 500 ? 'UNAVAILABLE' : 'REQUEST_FAILED';
  }
}
