import type { FlannelError } from './errors.js';

/**
 * The outcome of decoding untrusted data (etcd values, node annotations): never thrown, always
 * returned. On failure `error` is a `FlannelError` (code `LEASE_INVALID` for lease data) whose
 * message names the field, the value and the rule.
 *
 * @example
 * ```ts
 * const result = leaseAttributes.decode(text);
 * if (!result.ok) logger.warn({ code: result.error.code }, result.error.message);
 * else use(result.value);
 * ```
 */
export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FlannelError };
