// The one structured error of @flannel-ts/netlink. It stands alone (no dependency on @flannel-ts/core)
// but follows the same shape as core's FlannelError: a closed set of stable `code`s, `isRetryable`,
// and an `isInstance` that survives duplicate installs.
import { describeNetlinkRequest } from './describe-request.js';
import { errnoDescription, errnoName, errnoNumber } from './errno.js';

/**
 * Every stable code a `NetlinkError` carries. Codes never change meaning; match on `code` (or
 * `errnoName`), not on `message`.
 */
export type NetlinkErrorCode =
  /** The kernel refused the request with an errno not classified below. */
  | 'NETLINK_ERROR'
  /** The object to read, change or delete does not exist (ENODEV; ENOENT/ESRCH/EADDRNOTAVAIL on get/set/delete). */
  | 'NETLINK_NOT_FOUND'
  /** The object to create exists already (EEXIST). */
  | 'NETLINK_EXISTS'
  /** The process lacks CAP_NET_ADMIN (EPERM/EACCES). */
  | 'NETLINK_PERMISSION_DENIED'
  /** The request was refused before sending: a field is out of range or malformed. */
  | 'NETLINK_INVALID_ARGUMENT'
  /** The kernel reply could not be decoded or did not match the request. */
  | 'NETLINK_PROTOCOL_ERROR'
  /** The socket is closed (after `close()`), or the operation was aborted. */
  | 'NETLINK_CLOSED';

/** Options accepted by {@link NetlinkError}. */
export interface NetlinkErrorOptions {
  /** The `Netlink` method that failed, e.g. `replaceRoute`. */
  readonly operation: string;
  /** Linux errno; the kernel's negative `nlmsgerr.error` is accepted and made positive. */
  readonly errno: number;
  /** The kernel's extended-ack message (`NLMSGERR_ATTR_MSG`), if it sent one. */
  readonly extendedAck?: string;
  /** The netlink sequence number of the failed request. */
  readonly sequence?: number;
  /** The typed request object (`Route`, `LinkSpec`, …) that was refused. */
  readonly request?: unknown;
  /** Overrides the code derived from `errno`. */
  readonly code?: NetlinkErrorCode;
  /** Overrides the default message. */
  readonly message?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Overrides the retryability derived from `errno`. */
  readonly isRetryable?: boolean;
}

const BRAND = Symbol.for('@flannel-ts/netlink/NetlinkError');
/** The brand every flannel-ts error carries (core's `isFlannelTsError` checks it); by name, so no dependency on core. */
const FLANNEL_TS_ERROR = Symbol.for('flannel-ts.error');
const NOT_FOUND_BRAND = Symbol.for('@flannel-ts/netlink/NetlinkNotFoundError');
const INVALID_ARGUMENT_BRAND = Symbol.for('@flannel-ts/netlink/NetlinkInvalidArgumentError');

/** Transient conditions: the same request may succeed later. */
const RETRYABLE_ERRNOS: ReadonlySet<string> = new Set([
  'EAGAIN', 'EINTR', 'EBUSY', 'ENOBUFS', 'ENOMEM', 'ETIMEDOUT', 'EINPROGRESS', 'EALREADY',
]);

function codeForErrno(name: string): NetlinkErrorCode {
  switch (name) {
    case 'EEXIST': return 'NETLINK_EXISTS';
    case 'ENODEV': return 'NETLINK_NOT_FOUND';
    case 'EPERM':
    case 'EACCES': return 'NETLINK_PERMISSION_DENIED';
    default: return 'NETLINK_ERROR';
  }
}

function defaultMessage(operation: string, errno: number, extendedAck: string | undefined, request: unknown): string {
  const subject = describeNetlinkRequest(operation, request);
  const base = `${operation}${subject === undefined ? '' : ` ${subject}`} failed: ${errnoName(errno)} (${errnoDescription(errno)})`;
  return extendedAck ? `${base}: ${extendedAck}` : base;
}

/**
 * An rtnetlink operation failed: the kernel answered with an errno, or the request was refused before
 * sending. Carries the operation, errno and its name, the kernel's extended-ack text and the sequence.
 *
 * @example
 * ```ts
 * try { await netlink.addRoute(route) }
 * catch (error) {
 *   if (NetlinkError.isInstance(error) && error.errnoName === 'EEXIST') return; // already there
 *   throw error;
 * }
 * ```
 */
export class NetlinkError extends Error {
  /** Stable machine-readable code. */
  readonly code: NetlinkErrorCode;
  /** The `Netlink` method that failed (`replaceRoute`, `addLink`, …). */
  readonly operation: string;
  /** Positive Linux errno (17). */
  readonly errno: number;
  /** Symbolic errno (`EEXIST`), `ERRNO_<n>` if unknown. */
  readonly errnoName: string;
  /** The kernel's extended-ack text (`NLMSGERR_ATTR_MSG`). */
  readonly extendedAck?: string;
  /** Sequence number of the refused request. */
  readonly sequence?: number;
  /** The typed request that was refused. Not part of `message`. */
  readonly request?: unknown;
  /** Whether retrying the same request later may succeed. */
  readonly isRetryable: boolean;
  /** @internal brand that survives duplicate installs of this package. */
  readonly [BRAND] = true;
  /** @internal brand shared by every flannel-ts error. */
  readonly [FLANNEL_TS_ERROR] = true;

  constructor(options: NetlinkErrorOptions) {
    const errno = Math.abs(options.errno);
    super(
      options.message ?? defaultMessage(options.operation, errno, options.extendedAck, options.request),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'NetlinkError';
    this.operation = options.operation;
    this.errno = errno;
    this.errnoName = errnoName(errno);
    this.code = options.code ?? codeForErrno(this.errnoName);
    if (options.extendedAck !== undefined) this.extendedAck = options.extendedAck;
    if (options.sequence !== undefined) this.sequence = options.sequence;
    if (options.request !== undefined) this.request = options.request;
    this.isRetryable = options.isRetryable ?? RETRYABLE_ERRNOS.has(this.errnoName);
  }

  /** True for any `NetlinkError` (or subclass), even one created by another copy of this package. */
  static isInstance(value: unknown): value is NetlinkError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** True when `value` is a `NetlinkError` with the given code. */
  static hasCode(value: unknown, code: NetlinkErrorCode): value is NetlinkError {
    return NetlinkError.isInstance(value) && value.code === code;
  }

  /**
   * True when `value` is a `NetlinkError` with the given errno name.
   *
   * @example
   * ```ts
   * if (NetlinkError.hasErrno(error, 'EEXIST')) return;
   * ```
   */
  static hasErrno(value: unknown, name: string): value is NetlinkError {
    return NetlinkError.isInstance(value) && value.errnoName === name;
  }
}

/**
 * The object an operation needs does not exist: an unknown device (ENODEV) for any operation, or a
 * missing route/address/neighbour (ESRCH, EADDRNOTAVAIL, ENOENT) on get, set or delete. Code
 * `NETLINK_NOT_FOUND`.
 *
 * @example
 * ```ts
 * const link = await netlink.getLink('flannel.1').catch((e) => {
 *   if (NetlinkNotFoundError.isInstance(e)) return undefined;
 *   throw e;
 * });
 * ```
 */
export class NetlinkNotFoundError extends NetlinkError {
  /** @internal */
  readonly [NOT_FOUND_BRAND] = true;

  constructor(options: NetlinkErrorOptions) {
    super({ ...options, code: options.code ?? 'NETLINK_NOT_FOUND' });
    this.name = 'NetlinkNotFoundError';
  }

  /** True for any `NetlinkNotFoundError`, even from another copy of this package. */
  static override isInstance(value: unknown): value is NetlinkNotFoundError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[NOT_FOUND_BRAND] === true;
  }
}

/** Options accepted by {@link NetlinkInvalidArgumentError}. */
export interface NetlinkInvalidArgumentOptions {
  /** Dotted path of the refused field, e.g. `vxlan.vni`. */
  readonly field: string;
  /** The refused value. Appears in the message; never pass secrets here. */
  readonly value: unknown;
  /** The rule it breaks, e.g. `must be 0..16777215`. */
  readonly rule: string;
  /** The `Netlink` method the request was for; default `validate`. */
  readonly operation?: string;
  /** The whole typed request. */
  readonly request?: unknown;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/** Longer formatted values are cut in messages (the whole value stays on `error.value`). */
const MAX_VALUE_CHARACTERS = 80;

/** Formats a refused value for a message: strings quoted, everything else as JSON or text; long ones cut. */
function formatValue(value: unknown): string {
  const text = formatWhole(value);
  return text.length > MAX_VALUE_CHARACTERS ? `${text.slice(0, MAX_VALUE_CHARACTERS)}… (${text.length} characters)` : text;
}

function formatWhole(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A request refused before it was sent: one field breaks a rule the kernel would enforce (or that
 * flannel-ts enforces to keep the kernel from doing something surprising). `errno` is EINVAL, code
 * `NETLINK_INVALID_ARGUMENT`, and the message names the field, the value and the rule.
 *
 * @example
 * ```ts
 * new NetlinkInvalidArgumentError({ field: 'vxlan.vni', value: 16777216, rule: 'must be 0..16777215' }).message;
 * // 'vxlan.vni 16777216 is invalid: must be 0..16777215'
 * ```
 */
export class NetlinkInvalidArgumentError extends NetlinkError {
  /** Dotted path of the refused field. */
  readonly field: string;
  /** The refused value. */
  readonly value: unknown;
  /** The rule the value breaks. */
  readonly rule: string;
  /** @internal */
  readonly [INVALID_ARGUMENT_BRAND] = true;

  constructor(options: NetlinkInvalidArgumentOptions) {
    super({
      operation: options.operation ?? 'validate',
      errno: errnoNumber('EINVAL'),
      code: 'NETLINK_INVALID_ARGUMENT',
      message: `${options.field} ${formatValue(options.value)} is invalid: ${options.rule}`,
      request: options.request,
      cause: options.cause,
      isRetryable: false,
    });
    this.name = 'NetlinkInvalidArgumentError';
    this.field = options.field;
    this.value = options.value;
    this.rule = options.rule;
  }

  /** True for any `NetlinkInvalidArgumentError`, even from another copy of this package. */
  static override isInstance(value: unknown): value is NetlinkInvalidArgumentError {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[INVALID_ARGUMENT_BRAND] === true
    );
  }
}

const NOT_FOUND_ON_LOOKUP: ReadonlySet<string> = new Set(['ENOENT', 'ESRCH', 'EADDRNOTAVAIL']);

/**
 * Builds the right error class for a kernel errno: `NetlinkNotFoundError` for ENODEV (any operation)
 * and for ENOENT/ESRCH/EADDRNOTAVAIL (the kernel's "no such address" on `ip addr del`) on
 * `get*`/`find*`/`set*`/`delete*` operations, `NetlinkError` otherwise.
 * Use this from every place that turns an `nlmsgerr` into an exception, so the fake and the kernel
 * implementation classify errors identically.
 *
 * @example
 * ```ts
 * throw netlinkErrorFromErrno({ operation: 'deleteRoute', errno: -3, sequence: 42, request: route });
 * // NetlinkNotFoundError: deleteRoute 10.5.2.0/24 via 10.5.2.0 dev index 7 failed: ESRCH (No such process)
 * ```
 */
export function netlinkErrorFromErrno(options: NetlinkErrorOptions): NetlinkError {
  const name = errnoName(options.errno);
  const lookup = /^(get|find|set|delete|del)/.test(options.operation);
  if (name === 'ENODEV' || (lookup && NOT_FOUND_ON_LOOKUP.has(name))) return new NetlinkNotFoundError(options);
  return new NetlinkError(options);
}
