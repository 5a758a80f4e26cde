// IP address and CIDR text: parsing with family detection, canonical formatting (RFC 5952 for IPv6),
// masks. Pure; refusals are NetlinkInvalidArgumentError naming the field.
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
 * Reads a dotted quad into `bytes`; false when `text` is not one. Hand-rolled (it runs for every address of every
 * batched request): exactly four decimal octets 0..255, each 1..3 ASCII digits. Leading zeros are refused: inet_aton reads them as octal,
 * so `010.0.0.1` is ambiguous. Input it accepts is already canonical text.
 */
function scanIpv4(text: string, bytes: Uint8Array): boolean {
  const length = text.length;
  if (length < 7 || length > 15) return false;
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? text.charCodeAt(i) : 46; // a virtual trailing '.'
    if (code === 46) {
      if (digits === 0 || octet > 255 || index > 3) return false;
      bytes[index++] = octet;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57 && digits < 3 && !(digits === 1 && octet === 0)) {
      octet = octet * 10 + (code - 48);
      digits++;
    } else {
      return false;
    }
  }
  return index === 4;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  return scanIpv4(text, bytes) ? bytes : undefined;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else {
      if (!/^[0-9a-f]{1,4}$/.test(part)) return undefined;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * Text of a 4- or 16-byte address: dotted quad, or RFC 5952 IPv6 (`fd00::1`, `::ffff:10.0.0.1`).
 *
 * @example
 * ```ts
 * formatIp(new Uint8Array([10, 5, 34, 0])); // '10.5.34.0'
 * ```
 */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]!}.${bytes[1]!}.${bytes[2]!}.${bytes[3]!}`;
  if (bytes.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.subarray(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (bestLength < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
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
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, address: text, bytes: v4 }; // accepted dotted quads are canonical already
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  if (v6) return { family: 6, address: formatIp(v6), bytes: v6 };
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

/** The prefix length of `text` when it is 0..`max` written without leading zeros (1..3 digits), else -1. */
function prefixOf(text: string, max: number): number {
  const length = text.length;
  if (length < 1 || length > 3) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57 || (i === 1 && value === 0)) return -1;
    value = value * 10 + (code - 48);
  }
  return value <= max ? value : -1;
}

/** @internal */
export function cidrWith(text: string, field: string, fail: Fail): ParsedCidr {
  if (typeof text !== 'string') return fail(field, text, 'must be a CIDR (address/prefix) as text');
  const slash = text.indexOf('/');
  if (slash < 0) return fail(field, text, 'must be a CIDR (address/prefix)');
  const ip = ipWith(text.slice(0, slash), field, (f, _v, rule) => fail(f, text, rule));
  const max = ip.family === 4 ? 32 : 128;
  const prefixLength = prefixOf(text.slice(slash + 1), max);
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

const scratch = new Uint8Array(4);

/**
 * @internal The canonical text of an address (of the expected family when given), or a refusal: what
 * {@link ipOfFamily} checks, without building the parsed bytes (the validators of batched requests only keep the
 * text, and a dotted quad that passes is canonical already).
 */
export function ipTextOf(fail: Fail, field: string, value: unknown, expected: Family | undefined, rule?: string): string {
  if (typeof value === 'string' && expected !== 6 && scanIpv4(value, scratch)) return value;
  return ipOfFamily(fail, field, value, expected, rule).address;
}
