import { FlannelError } from './errors.js';
import type { DecodeResult } from './decode-result.js';
import { IpNet, ipv4NetworkFromParts, type ParsedAddress } from './ip-net.js';
import { parseIPv4 } from './ipv4-text.js';

/** The subnets named by a lease key: always IPv4, plus IPv6 on a dual-stack lease. */
export interface LeaseKey {
  readonly subnet: IpNet;
  readonly ipv6Subnet?: IpNet;
}

// flannel's pattern (pkg/subnet/subnet.go), anchored at the start here because callers pass the
// key's last path segment. flannel leaves two of the dots unescaped (`\d+\.\d+.\d+.\d+`); escaping
// them accepts the same keys (the address must parse as a dotted quad either way) and removes the
// cubic backtracking the unescaped form shows on a long run of digits.
const KEY_PATTERN = /^(\d+\.\d+\.\d+\.\d+)-(\d+)(?:&([a-f\d:]+)-(\d+))?$/;

/** Keys come from the datastore: keep a hostile one from flooding a log line. */
function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function invalid(key: string, rule: string): DecodeResult<LeaseKey> {
  return { ok: false, error: new FlannelError('LEASE_INVALID', `lease key ${JSON.stringify(shorten(key))} is invalid: ${rule}`) };
}

function decodeSubnet(family: 4 | 6, addressText: string, prefixText: string): IpNet | string {
  // flannel parses the prefix with strconv.ParseUint(…, 10, 5) for IPv4 and (…, 10, 7) for IPv6.
  const maxPrefix = family === 4 ? 31 : 127;
  const prefixLength = Number(prefixText);
  let address: ParsedAddress;
  try {
    address = IpNet.parseAddress(addressText, family);
  } catch {
    return `${shorten(addressText)} must be an IPv${family} address`;
  }
  if (!Number.isSafeInteger(prefixLength) || prefixLength > maxPrefix) {
    return `IPv${family} prefix length ${shorten(prefixText)} must be 0..${maxPrefix}`;
  }
  const subnet = IpNet.fromAddress(address, prefixLength);
  // Parsed once: the canonical text of the address is its formatted value.
  if (subnet.value !== address.value) {
    return `${addressText} must be the network address of its /${prefixLength} (${subnet.address})`;
  }
  return subnet;
}

/**
 * The common key — an IPv4 network address in canonical form, `-`, a prefix length of 0..31 in one or two
 * digits without leading zero — read without a regular expression, substrings or a parse-and-format round
 * trip; `undefined` for every other key, which the general path reads (and explains when invalid).
 */
function decodeCanonicalIPv4Key(text: string): LeaseKey | undefined {
  const dash = text.indexOf('-');
  // A dotted quad accepted by parseIPv4 has no leading zeros: it is the canonical text of its value.
  const value = dash < 0 ? -1 : parseIPv4(text, 0, dash);
  if (value < 0) return undefined;
  const first = text.charCodeAt(dash + 1) - 0x30;
  let prefixLength: number;
  if (text.length === dash + 2 && first >= 0 && first <= 9) {
    prefixLength = first;
  } else if (text.length === dash + 3 && first >= 1 && first <= 3) {
    const second = text.charCodeAt(dash + 2) - 0x30;
    if (second < 0 || second > 9) return undefined;
    prefixLength = first * 10 + second;
  } else {
    return undefined;
  }
  if (prefixLength > 31 || value % 2 ** (32 - prefixLength) !== 0) return undefined;
  return { subnet: ipv4NetworkFromParts(text.slice(0, dash), value, prefixLength) };
}

/**
 * The etcd key of a lease (the segment after `<prefix>/subnets/`), as flannel's `MakeSubnetKey` and
 * `ParseSubnetKey`: `10.5.34.0-24`, dual stack `10.12.13.0-24&fd00:12:13::-56`.
 *
 * `decode` never throws. It accepts what flannel accepts, except that the address must be the network
 * address of its prefix (flannel keeps `10.1.2.3-24` as is; flannel-ts never holds a non-normalised
 * subnet) and that the key must start with the address (flannel's pattern is unanchored at the start).
 *
 * @example
 * ```ts
 * leaseKey.encode({ subnet: IpNet.parse('10.5.34.0/24') }); // '10.5.34.0-24'
 * const result = leaseKey.decode('10.12.13.0-24&fd00:12:13::-56');
 * if (result.ok) result.value.ipv6Subnet?.toString(); // 'fd00:12:13::/56'
 * ```
 */
export const leaseKey = {
  /** Writes the key of a lease. Throws `RangeError` when `subnet` is not IPv4 or `ipv6Subnet` not IPv6. */
  encode(key: LeaseKey): string {
    if (key.subnet.family !== 4) throw new RangeError(`lease subnet ${key.subnet.toString()} must be IPv4`);
    const v4 = `${key.subnet.address}-${key.subnet.prefixLength}`;
    if (key.ipv6Subnet === undefined) return v4;
    if (key.ipv6Subnet.family !== 6) throw new RangeError(`lease IPv6 subnet ${key.ipv6Subnet.toString()} must be IPv6`);
    return `${v4}&${key.ipv6Subnet.address}-${key.ipv6Subnet.prefixLength}`;
  },

  /** Reads a key; on failure the `LEASE_INVALID` error names the key and the rule it breaks. */
  decode(text: string): DecodeResult<LeaseKey> {
    if (typeof text !== 'string') return invalid(String(text), 'must be a string');
    const common = decodeCanonicalIPv4Key(text);
    if (common !== undefined) return { ok: true, value: common };
    const parts = KEY_PATTERN.exec(text);
    if (parts === null) return invalid(text, 'must look like 10.5.34.0-24 or 10.5.34.0-24&fd00:12:13::-56');
    const subnet = decodeSubnet(4, parts[1]!, parts[2]!);
    if (typeof subnet === 'string') return invalid(text, subnet);
    if (parts[3] === undefined) return { ok: true, value: { subnet } };
    const ipv6Subnet = decodeSubnet(6, parts[3], parts[4]!);
    if (typeof ipv6Subnet === 'string') return invalid(text, ipv6Subnet);
    return { ok: true, value: { subnet, ipv6Subnet } };
  },
};
