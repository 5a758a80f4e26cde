// IP address and CIDR text: parsing with family detection, canonical formatting (RFC 5952 for IPv6),
// masks. Pure; refusals are NetlinkInvalidArgumentError naming the field.
import { formatIp, ipv4Value, parseIpBytes, prefixLengthOf } from './codec/ip-text.js';
import type { Family } from './types.js';
import { throwPlain, type Fail } from './validate-rules.js';

/** An IP address parsed from text. */
export interface ParsedIp {
  readonly family: Family;
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run compressed). */
  readonly address: string;
  /** 4 or 16 network-order bytes. */
  readonly bytes: Uint8Array;
}

/** A CIDR parsed from text. */
export interface ParsedCidr extends ParsedIp {
  readonly prefixLength: number;
  /** Canonical `address/prefix`, host bits kept as given. */
  readonly cidr: string;
  /** The network address (host bits cleared), canonical text. */
  readonly network: string;
  /** True when `address` has bits set beyond the prefix. */
  readonly hostBitsSet: boolean;
}

/**
 * Parses an IPv4 or IPv6 address (no zone, no prefix) and detects its family.
 * Throws `NetlinkInvalidArgumentError` naming `field`.
 *
 * @example
 * ```ts
 * parseIp('FD00:0:0::1'); // { family: 6, address: 'fd00::1', bytes: … }
 * ```
 */
export function parseIp(text: string, field = 'address'): ParsedIp {
  return ipWith(text, field, throwPlain);
}

/** @internal */
export function ipWith(text: string, field: string, fail: Fail): ParsedIp {
  if (typeof text !== 'string') return fail(field, text, 'must be an IPv4 or IPv6 address as text');
  const bytes = parseIpBytes(text);
  if (bytes?.length === 4) return { family: 4, address: text, bytes }; // accepted dotted quads are canonical already
  if (bytes) return { family: 6, address: formatIp(bytes), bytes };
  return fail(field, text, 'must be an IPv4 address (a.b.c.d) or an IPv6 address');
}

/**
 * Parses `address/prefix`; the prefix must be 0..32 (IPv4) or 0..128 (IPv6). Host bits are allowed
 * here and reported in `hostBitsSet`.
 *
 * @example
 * ```ts
 * parseCidr('10.5.34.1/24'); // { family: 4, address: '10.5.34.1', prefixLength: 24, network: '10.5.34.0', hostBitsSet: true, … }
 * ```
 */
export function parseCidr(text: string, field = 'cidr'): ParsedCidr {
  return cidrWith(text, field, throwPlain);
}

/** @internal */
export function cidrWith(text: string, field: string, fail: Fail): ParsedCidr {
  if (typeof text !== 'string') return fail(field, text, 'must be a CIDR (address/prefix) as text');
  const slash = text.indexOf('/');
  if (slash < 0) return fail(field, text, 'must be a CIDR (address/prefix)');
  const ip = ipWith(text.slice(0, slash), field, (f, _v, rule) => fail(f, text, rule));
  const max = ip.family === 4 ? 32 : 128;
  const prefixLength = prefixLengthOf(text, slash + 1, max);
  if (prefixLength < 0) return fail(field, text, `prefix length must be 0..${max} for IPv${ip.family}`);
  const network = maskBytes(ip.bytes, prefixLength);
  let hostBitsSet = false;
  for (let i = 0; i < network.length; i++) if (network[i] !== ip.bytes[i]) hostBitsSet = true;
  return {
    family: ip.family,
    address: ip.address,
    bytes: ip.bytes,
    prefixLength,
    cidr: `${ip.address}/${prefixLength}`,
    network: hostBitsSet ? formatIp(network) : ip.address,
    hostBitsSet,
  };
}

/**
 * @internal The prefix length of `text` when it is an IPv4 network in canonical form — a dotted quad without
 * leading zeros, `/0`..`/32` without leading zeros, no host bits set — else -1. What every route of a batch
 * carries; checked without allocating (anything else takes the full {@link cidrWith}).
 */
export function canonicalIpv4NetworkPrefix(text: string): number {
  const slash = text.indexOf('/');
  if (slash < 0) return -1;
  const address = ipv4Value(text, 0, slash);
  // Canonical: one or two digits without a leading zero (prefixLengthOf takes `/024` too).
  const digits = text.length - slash - 1;
  if (address < 0 || digits < 1 || digits > 2 || (digits === 2 && text.charCodeAt(slash + 1) === 48)) return -1;
  const prefixLength = prefixLengthOf(text, slash + 1, 32);
  if (prefixLength < 0) return -1;
  return prefixLength === 32 || address % 2 ** (32 - prefixLength) === 0 ? prefixLength : -1;
}

function maskBytes(bytes: Uint8Array, prefixLength: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
    out[i] = out[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

/**
 * True when `address` lies inside `cidr` (same family, same prefix bits).
 *
 * @example
 * ```ts
 * cidrContains('10.5.0.0/16', '10.5.34.1'); // true
 * ```
 */
export function cidrContains(cidr: string, address: string): boolean {
  const net = parseCidr(cidr);
  const ip = parseIp(address);
  if (net.family !== ip.family) return false;
  const a = maskBytes(ip.bytes, net.prefixLength);
  const b = maskBytes(net.bytes, net.prefixLength);
  return a.every((byte, i) => byte === b[i]);
}

/** @internal An address of the expected family, or a refusal. */
export function ipOfFamily(fail: Fail, field: string, value: unknown, expected: Family | undefined, rule?: string): ParsedIp {
  const ip = ipWith(value as string, field, fail);
  if (expected !== undefined && ip.family !== expected) {
    return fail(field, value, rule ?? `must be an IPv${expected} address (family ${expected})`);
  }
  return ip;
}

/**
 * @internal The canonical text of an address (of the expected family when given), or a refusal: what
 * {@link ipOfFamily} checks, without building the parsed bytes (the validators of batched requests only keep the
 * text, and a dotted quad that passes is canonical already).
 */
export function ipTextOf(fail: Fail, field: string, value: unknown, expected: Family | undefined, rule?: string): string {
  if (typeof value === 'string' && expected !== 6 && ipv4Value(value) >= 0) return value;
  return ipOfFamily(fail, field, value, expected, rule).address;
}
