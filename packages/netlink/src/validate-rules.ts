// Shared pieces of the validators: limits, the failure callback and scalar checks. Internal to the
// package (not re-exported from the index) except the limits.
import { NetlinkInvalidArgumentError } from './errors.js';
import type { Family, NeighbourState, RouteScope, RouteType } from './types.js';

/** `IFNAMSIZ` − 1: the longest interface name the kernel stores. */
export const MAX_LINK_NAME_BYTES = 15;
/** The largest VXLAN Network Identifier: a 24-bit field, 2^24 − 1. */
export const MAX_VNI = 0xff_ff_ff;
/**
 * Smallest MTU accepted: 68, the datagram every IPv4 link must carry unfragmented (RFC 791) and the
 * kernel's `ETH_MIN_MTU`. Below it the kernel drops the link's IPv4 addresses, so a flannel device
 * with such an MTU would be useless. (IPv6 needs 1280; the kernel disables IPv6 on smaller links but
 * keeps the link.)
 */
export const MIN_MTU = 68;
/** Largest MTU accepted: 65535, the largest IP packet (`IP_MAX_MTU`). */
export const MAX_MTU = 0xff_ff;

/** @internal Throws the refusal of one field. */
export type Fail = (field: string, value: unknown, rule: string) => never;

/** @internal */
export function failer(operation: string, request: unknown): Fail {
  return (field, value, rule) => {
    throw new NetlinkInvalidArgumentError({ field, value, rule, operation, request });
  };
}

/**
 * The refusal `error` again, naming `operation` and `request`: the validators of batched requests (routes,
 * neighbours, FDB entries) fail with {@link throwPlain}, and their callers, where they catch it, say which
 * request it was for. Anything else is returned unchanged.
 *
 * @internal
 */
export function inRequest(error: unknown, operation: string, request: unknown): unknown {
  if (!(error instanceof NetlinkInvalidArgumentError)) return error;
  return new NetlinkInvalidArgumentError({ field: error.field, value: error.value, rule: error.rule, operation, request });
}

/** @internal */
export const throwPlain: Fail = (field, value, rule) => {
  throw new NetlinkInvalidArgumentError({ field, value, rule });
};

/** @internal */
export function integer(fail: Fail, field: string, value: unknown, min: number, max: number, rule?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(field, value, rule ?? `must be an integer ${min}..${max}`);
  }
  return value;
}

/** @internal */
export function boolean(fail: Fail, field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') return fail(field, value, 'must be true or false');
  return value;
}

/** @internal */
export function family(fail: Fail, field: string, value: unknown): Family {
  if (value !== 4 && value !== 6) return fail(field, value, 'must be 4 or 6');
  return value;
}

/** @internal */
export const MAX_INDEX = 0x7f_ff_ff_ff;
/** @internal */
export const index = (fail: Fail, field: string, value: unknown): number =>
  integer(fail, field, value, 1, MAX_INDEX, `must be a link index 1..${MAX_INDEX}`);

/** @internal */
export const SCOPES: ReadonlySet<RouteScope> = new Set(['universe', 'site', 'link', 'host', 'nowhere']);
/** @internal */
export const ROUTE_TYPES: ReadonlySet<RouteType> = new Set(['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit']);
/** @internal */
export const NEIGHBOUR_STATES: ReadonlySet<NeighbourState> = new Set([
  'incomplete', 'reachable', 'stale', 'delay', 'probe', 'failed', 'noarp', 'permanent', 'none',
]);

/** @internal */
export function oneOf<T extends string>(fail: Fail, field: string, value: unknown, allowed: ReadonlySet<T>): T {
  if (typeof value !== 'string' || !allowed.has(value as T)) return fail(field, value, `must be one of ${[...allowed].join(', ')}`);
  return value as T;
}

/**
 * Drops keys whose value is `undefined`, so normalised objects compare and print cleanly; the other keys
 * keep their order.
 *
 * @internal
 */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const field = value[key];
    if (field !== undefined) out[key] = field;
  }
  return out as T;
}

/** @internal */
export function mtu(fail: Fail, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return integer(fail, field, value, MIN_MTU, MAX_MTU, `must be ${MIN_MTU}..${MAX_MTU} (${MIN_MTU} is the IPv4 minimum)`);
}
