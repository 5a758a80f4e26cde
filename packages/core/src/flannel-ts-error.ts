// One way to catch any flannel-ts error, whichever package threw it. FlannelError (core), NetlinkError
// (netlink, which does not depend on core) and SubnetEnvError (subnet-env, dependency-free) each carry the
// same brand, a registry symbol known by name, so no package needs another to be recognised, and the
// check survives duplicate installs. Their codes never overlap (`CONFIG_INVALID`, `NETLINK_*`,
// `SUBNET_ENV_*`), so `code` alone says what happened.

/** The brand: `Symbol.for('flannel-ts.error')`, set to `true` on every flannel-ts error instance. */
export const FLANNEL_TS_ERROR: unique symbol = Symbol.for('flannel-ts.error') as never;

/** What every flannel-ts error has: an `Error` with a stable string `code` (and `isRetryable` where known). */
export interface FlannelTsError extends Error {
  /** Stable machine-readable code; match on it, never on `message`. */
  readonly code: string;
  /** Whether retrying later may succeed (FlannelError, NetlinkError); absent on SubnetEnvError. */
  readonly isRetryable?: boolean;
}

/**
 * True for an error thrown by any flannel-ts package (`FlannelError`, `NetlinkError` and its subclasses,
 * `SubnetEnvError`), even from another copy of the package.
 *
 * @example
 * ```ts
 * try { await startAgentWork() }
 * catch (error) {
 *   if (!isFlannelTsError(error)) throw error;
 *   switch (error.code) {
 *     case 'NETLINK_PERMISSION_DENIED': console.error('run as root'); break;
 *     case 'SUBNET_ENV_NOT_FOUND': console.error('flannel is not running'); break;
 *     default: console.error(`${error.code}: ${error.message}`);
 *   }
 * }
 * ```
 */
export function isFlannelTsError(value: unknown): value is FlannelTsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FLANNEL_TS_ERROR] === true && typeof (value as { code?: unknown }).code === 'string';
}

/**
 * True when `value` is a flannel-ts error (of any package) with this `code`.
 *
 * @example
 * ```ts
 * if (hasErrorCode(error, 'NETLINK_EXISTS')) return; // already there
 * ```
 */
export function hasErrorCode<Code extends string>(value: unknown, code: Code): value is FlannelTsError & { readonly code: Code } {
  return isFlannelTsError(value) && value.code === code;
}
