// IPv6 text as Go's net.ParseIP reads it and netip.Addr.String() writes it. Internal to @flannel-ts/core.
import { formatIPv4, parseIPv4 } from './ipv4-text.js';

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/**
 * The value of an IPv6 address written as hex groups of one to four digits separated by `:`, with at most
 * one `::` standing for one or more zero groups, and optionally its last 32 bits as a dotted quad (RFC 4291
 * section 2.2, forms 1 to 3); `undefined` for anything else, including zones.
 *
 * @example
 * ```ts
 * parseIPv6('fd00:12:13::');   // 0xfd000012001300000000000000000000n
 * parseIPv6('::ffff:1.2.3.4'); // 0xffff01020304n
 * parseIPv6('1::2::3');        // undefined
 * ```
 */
export function parseIPv6(text: string): bigint | undefined {
  if (text.includes('.')) return parseHexGroups(withIPv4TailAsGroups(text));
  return parseHexGroups(text);
}

/** `text` with its dotted-quad tail written as two hex groups (`::ffff:1.2.3.4` → `::ffff:102:304`), or '' when the tail is not one. */
function withIPv4TailAsGroups(text: string): string {
  const tailStart = text.lastIndexOf(':') + 1;
  const value = tailStart === 0 ? -1 : parseIPv4(text, tailStart, text.length);
  if (value < 0) return '';
  return `${text.slice(0, tailStart)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
}

function parseHexGroups(text: string): bigint | undefined {
  const length = text.length;
  if (length < 2 || length > 39) return undefined;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 0x3a) {
    if (text.charCodeAt(1) !== 0x3a) return undefined;
    gap = 0;
    i = 2;
  }
  while (i < length) {
    let group = 0;
    let digits = 0;
    for (; i < length && digits <= 4; i++, digits++) {
      const digit = hexDigit(text.charCodeAt(i));
      if (digit < 0) break;
      group = group * 16 + digit;
    }
    if (digits === 0 || digits > 4 || groups.length === 8) return undefined;
    groups.push(group);
    if (i === length) break;
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i++;
    if (i === length) return undefined; // a single trailing colon
    if (text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return undefined;
      gap = groups.length;
      i++;
    }
  }
  if (gap < 0 ? groups.length !== 8 : groups.length > 7) return undefined;
  let value = 0n;
  const missing = 8 - groups.length;
  for (let index = 0; index < groups.length; index++) {
    if (index === gap) value <<= BigInt(16 * missing);
    value = (value << 16n) | BigInt(groups[index]!);
  }
  if (gap === groups.length) value <<= BigInt(16 * missing);
  return value;
}

/** `::ffff:0:0/96`: IPv4-mapped IPv6 addresses (RFC 4291 §2.5.5.2). */
const IPV4_MAPPED_PREFIX = 0xffffn;

/**
 * Writes a 128-bit value in Go's RFC 5952 form: lower-case hex without leading zeros, the longest run of
 * two or more zero groups (the first on a tie) as `::`; an IPv4-mapped address as `::ffff:` and a dotted
 * quad, as Go's `netip.Addr.String()` writes it (RFC 5952 §5). Go's older `net.IP.String()` drops the
 * `::ffff:` and writes a bare dotted quad, which would make an IPv6 value read back as IPv4.
 *
 * @example
 * ```ts
 * formatIPv6(1n);                      // '::1'
 * formatIPv6(0xffff0a010203n);         // '::ffff:10.1.2.3'
 * ```
 */
export function formatIPv6(value: bigint): string {
  if (value >> 32n === IPV4_MAPPED_PREFIX) return `::ffff:${formatIPv4(Number(value & 0xffffffffn))}`;
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
