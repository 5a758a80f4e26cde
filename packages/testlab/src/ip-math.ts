import { isIPv4, isIPv6 } from 'node:net';
import { TestlabError } from './errors.js';

// Just enough address arithmetic for laying out a lab; the real subnet math lives in @flannel-ts/core. Not
// shared with core because testlab depends on no flannel package: netlink and etcd-client test with it.

/** An IPv4 address as an unsigned 32-bit number. */
export function ipv4ToNumber(address: string): number {
  if (!isIPv4(address)) throw new TestlabError('INVALID_OPTIONS', `${address} is not an IPv4 address`);
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** The dotted-quad form of an unsigned 32-bit number. */
export function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** A parsed IPv4 prefix: its network address (as a number) and length. */
export interface Ipv4Prefix {
  network: number;
  prefixLength: number;
}

/** Parses `a.b.c.d/n`; the address is masked down to the network. */
export function parseIpv4Cidr(cidr: string, field = 'cidr'): Ipv4Prefix {
  const [address = '', length = ''] = cidr.split('/');
  const prefixLength = Number(length);
  if (!isIPv4(address) || !/^\d+$/.test(length) || prefixLength < 8 || prefixLength > 28) {
    throw new TestlabError('INVALID_OPTIONS', `${field} ${cidr} is invalid: must be an IPv4 prefix a.b.c.d/n with 8 <= n <= 28`);
  }
  const size = 2 ** (32 - prefixLength);
  return { network: Math.floor(ipv4ToNumber(address) / size) * size, prefixLength };
}

/** The `offset`-th address of `prefix` (offset 1 is the first usable one); throws if it falls outside. */
export function ipv4At(prefix: Ipv4Prefix, offset: number): string {
  const size = 2 ** (32 - prefix.prefixLength);
  if (offset < 1 || offset > size - 2) {
    throw new TestlabError('INVALID_OPTIONS', `address #${offset} does not fit in ${numberToIpv4(prefix.network)}/${prefix.prefixLength}`);
  }
  return numberToIpv4(prefix.network + offset);
}

/** Whether two IPv4 prefixes share any address. */
export function ipv4Overlaps(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  const size = 2 ** (32 - shorter);
  return Math.floor(a.network / size) === Math.floor(b.network / size);
}

/** Expands an IPv6 address into its eight 16-bit groups. */
export function ipv6Groups(address: string): number[] {
  if (!isIPv6(address) || address.includes('.')) throw new TestlabError('INVALID_OPTIONS', `${address} is not an IPv6 address`);
  const [head = '', tail] = address.split('::');
  const parse = (part: string): number[] => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** Parses an IPv6 `/64` prefix (the only length the lab lays hosts out in), returning its first four groups. */
export function parseIpv6Prefix64(cidr: string, field = 'ipv6'): number[] {
  const [address = '', length] = cidr.split('/');
  if (length !== '64' || !isIPv6(address)) {
    throw new TestlabError('INVALID_OPTIONS', `${field} ${cidr} is invalid: must be an IPv6 prefix of length 64 (e.g. fd77::/64)`);
  }
  return ipv6Groups(address).slice(0, 4);
}

/**
 * The address in a /64 whose interface identifier is `::<offset>`, written with the offset's *decimal* digits
 * as the last group, so host 11 of `fd77::/64` is `fd77::11`, matching `192.168.77.11`.
 */
export function ipv6At(prefix64: readonly number[], offset: number): string {
  const last = parseInt(String(offset), 16);
  if (!Number.isInteger(offset) || offset < 1 || offset > 9999) {
    throw new TestlabError('INVALID_OPTIONS', `IPv6 host offset ${offset} is invalid: must be 1..9999`);
  }
  const groups = [...prefix64, 0, 0, 0, last].map((group) => group.toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  // Replace the longest run of zero groups with '::' (RFC 5952).
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < groups.length; start += 1) {
    let length = 0;
    while (groups[start + length] === '0') length += 1;
    if (length > bestLength && length > 1) {
      bestStart = start;
      bestLength = length;
    }
  }
  if (bestStart === -1) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}
