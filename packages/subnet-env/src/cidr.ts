// A tiny CIDR helper: just what subnet.env needs (parse, mask, +1, Go's text form). Its own copy of core's
// rules because subnet-env stays dependency-free: the CNI plugin imports it and must start fast.
// It mirrors Go's net.ParseCIDR: the result is the *network* (host bits cleared), IPv4 octets have no
// leading zeros, IPv6 may end in a dotted quad, no zones.

/** A parsed CIDR: family, address as an unsigned integer, prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  /** The address bits (network address after {@link parseCidr}). */
  readonly address: bigint;
  readonly prefixLength: number;
}

const IPV4_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
// Go's net.ParseCIDR reads the prefix length with dtoi: ASCII digits only, leading zeros allowed (`/024`).
const PREFIX_DIGITS = /^[0-9]+$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] as string;
    if (index === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Parses an IP address (no prefix); `undefined` when it is not one. */
export function parseIp(text: string): { family: 4 | 6; address: bigint } | undefined {
  if (text.includes(':')) {
    const address = parseIpv6(text);
    return address === undefined ? undefined : { family: 6, address };
  }
  const address = parseIpv4(text);
  return address === undefined ? undefined : { family: 4, address };
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function mask(family: 4 | 6, prefixLength: number): bigint {
  const width = BigInt(bits(family));
  const all = (1n << width) - 1n;
  return all ^ ((1n << (width - BigInt(prefixLength))) - 1n);
}

/**
 * Parses `addr/len` like Go's `net.ParseCIDR`, returning the network (host bits cleared), or
 * `undefined` when the text is not a CIDR.
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !PREFIX_DIGITS.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  if (prefixLength > bits(ip.family)) return undefined;
  return { family: ip.family, address: ip.address & mask(ip.family, prefixLength), prefixLength };
}

function formatIpv4(address: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String(Number((address >> shift) & 0xffn))).join('.');
}

function formatIpv6(address: bigint): string {
  // Go prints an IPv4-mapped IPv6 address (::ffff:a.b.c.d) in dotted form.
  if (address >> 32n === 0xffffn) return formatIpv4(address & 0xffffffffn);
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((address >> shift) & 0xffffn));
  // Longest run of zero groups (leftmost on a tie), only when at least two long (RFC 5952, as Go).
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Formats an address in Go's canonical text form. */
export function formatIp(family: 4 | 6, address: bigint): string {
  return family === 4 ? formatIpv4(address) : formatIpv6(address);
}

/** Formats a CIDR as `address/prefixLength` in Go's canonical text form. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.family, cidr.address)}/${cidr.prefixLength}`;
}

/**
 * The network's address plus one, with the network's prefix length: what flannel writes as
 * `FLANNEL_SUBNET` (`10.5.72.0/24` → `10.5.72.1/24`). Throws `RangeError` at the top of the space.
 */
export function firstHostCidr(cidr: Cidr): Cidr {
  const next = cidr.address + 1n;
  if (next >> BigInt(bits(cidr.family)) !== 0n) {
    throw new RangeError(`${formatCidr(cidr)} has no address after its network address`);
  }
  return { family: cidr.family, address: next, prefixLength: cidr.prefixLength };
}
