// IP addresses and CIDRs parsed and printed as Go's `net` package does, because flannel's plugin runs
// every subnet.env value and IPAM route through `net.ParseCIDR` and writes them back with
// `(*net.IPNet).String()` (cni-plugin `flannel.go`; containernetworking/cni `pkg/types/types.go`):
// - `ParseCIDR("10.1.17.1/24")` gives the address `10.1.17.1` and the network `10.1.17.0/24`;
// - IPv4 octets with a leading zero, zones (`fe80::1%eth0`) and prefix lengths past the family are rejected;
// - an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) prints as IPv4, its prefix shortened by 96;
// - IPv6 prints in RFC 5952 form (lower case, longest run of two or more zero groups as `::`).

/** Go's `net.IPNet`: a 16-byte address and a 4-byte (IPv4) or 16-byte (IPv6) mask. */
export interface GoIpNet {
  readonly ip: Uint8Array;
  readonly mask: Uint8Array;
}

const V4_IN_V6 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIpv4Octets(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (text.includes('%')) return undefined;
  let head = text;
  let tail = '';
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0) {
    if (text.indexOf('::', doubleColon + 1) >= 0) return undefined;
    head = text.slice(0, doubleColon);
    tail = text.slice(doubleColon + 2);
  }
  const groups = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const fields = part.split(':');
    const out: number[] = [];
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index]!;
      if (allowV4Tail && index === fields.length - 1 && field.includes('.')) {
        const octets = parseIpv4Octets(field);
        if (octets === undefined) return undefined;
        out.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(field)) return undefined;
        out.push(parseInt(field, 16));
      }
    }
    return out;
  };
  const headGroups = groups(head, doubleColon < 0);
  const tailGroups = groups(tail, true);
  if (headGroups === undefined || tailGroups === undefined) return undefined;
  const count = headGroups.length + tailGroups.length;
  if (doubleColon < 0 ? count !== 8 : count > 7) return undefined;
  const all = [...headGroups, ...new Array<number>(8 - count).fill(0), ...tailGroups];
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** Go's `net.ParseIP`: a 16-byte address (IPv4 as `::ffff:a.b.c.d`), or undefined. */
export function parseGoIp(text: string): Uint8Array | undefined {
  const v4 = text.includes(':') ? undefined : parseIpv4Octets(text);
  if (v4 !== undefined) return Uint8Array.from([...V4_IN_V6, ...v4]);
  return text.includes(':') ? parseIpv6(text) : undefined;
}

function isV4InV6(ip: Uint8Array): boolean {
  return ip.length === 16 && V4_IN_V6.every((byte, index) => ip[index] === byte);
}

/** The result of {@link parseGoCidr}: the address as written and its network. */
export interface GoCidr {
  /** The address as written (`types.ParseCIDR` keeps it: a route `dst` or a result address). */
  readonly address: GoIpNet;
  /** The network (`net.ParseCIDR`'s second result). */
  readonly network: GoIpNet;
}

/**
 * Go's `net.ParseCIDR`; throws `Error("invalid CIDR address: <text>")` (Go's `*net.ParseError` text).
 *
 * @example
 * ```ts
 * formatGoIpNet(parseGoCidr('10.1.17.1/24').network); // '10.1.17.0/24'
 * ```
 */
export function parseGoCidr(text: string): GoCidr {
  const slash = text.indexOf('/');
  const fail = (): never => {
    throw new Error(`invalid CIDR address: ${text}`);
  };
  if (slash < 0) return fail();
  const addressText = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  const ipv4 = !addressText.includes(':');
  const ip = parseGoIp(addressText);
  if (ip === undefined || !/^[0-9]+$/.test(lengthText)) return fail();
  const bits = ipv4 ? 32 : 128;
  const length = Number(lengthText);
  if (length > bits) return fail();
  const mask = new Uint8Array(bits / 8);
  for (let index = 0; index < mask.length; index++) mask[index] = 0xff & (0xff << (8 - Math.min(8, Math.max(0, length - index * 8))));
  const network = new Uint8Array(ip);
  const offset = 16 - mask.length;
  for (let index = 0; index < mask.length; index++) network[offset + index]! &= mask[index]!;
  return { address: { ip, mask }, network: { ip: network, mask } };
}

/** Go's `net.ParseIP` as `net.IP.UnmarshalText` reports it: throws `invalid IP address: <text>`. */
export function parseGoIpStrict(text: string): Uint8Array {
  const ip = parseGoIp(text);
  if (ip === undefined) throw new Error(`invalid IP address: ${text}`);
  return ip;
}

/** Go's `net.IP.String()` of a 4- or 16-byte address. */
export function formatGoIp(ip: Uint8Array): string {
  if (ip.length === 4) return ip.join('.');
  if (isV4InV6(ip)) return ip.subarray(12).join('.');
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((ip[index]! << 8) | ip[index + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let index = 0; index < 8; ) {
    if (groups[index] !== 0) {
      index++;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end++;
    if (end - index > bestLength && end - index >= 2) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((group) => group.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

function maskLength(mask: Uint8Array): number {
  let length = 0;
  let ended = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      if ((byte >> bit) & 1) {
        if (ended) return -1;
        length++;
      } else ended = true;
    }
  }
  return length;
}

/** Go's `(*net.IPNet).String()`: `address/length` (the address is not masked). */
export function formatGoIpNet(net: GoIpNet): string {
  const v4 = isV4InV6(net.ip);
  const ip = v4 ? net.ip.subarray(12) : net.ip;
  let mask = net.mask;
  if (mask.length === 4 && !v4) return '<nil>';
  if (mask.length === 16 && v4) mask = mask.subarray(12);
  const length = maskLength(mask);
  const maskText = length < 0 ? Buffer.from(mask).toString('hex') : String(length);
  return `${formatGoIp(ip)}/${maskText}`;
}

/** True when `ip` is IPv4 (Go's `ip.To4() != nil`). */
export function isGoIpv4(ip: Uint8Array): boolean {
  return ip.length === 4 || isV4InV6(ip);
}

/** Go's `IP.Equal` and a byte compare of the masks: the subnet.env duplicate check. */
export function sameGoIpNet(left: GoIpNet, right: GoIpNet): boolean {
  const leftIp = isV4InV6(left.ip) ? left.ip.subarray(12) : left.ip;
  const rightIp = isV4InV6(right.ip) ? right.ip.subarray(12) : right.ip;
  return Buffer.compare(leftIp, rightIp) === 0 && Buffer.compare(left.mask, right.mask) === 0;
}
