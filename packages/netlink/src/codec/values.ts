// Attribute payload readers and the text forms of addresses: IPs as `10.5.34.0` / `fd00::1`, MACs as `aa:bb:…`.
import { isIPv4, isIPv6 } from 'node:net';
import { viewOf } from './codec.js';
import type { Attribute } from './attributes.js';

function sized(a: Attribute, size: number, what: string): DataView {
  if (a.data.byteLength < size) throw new RangeError(`${what} (attribute ${a.type}): needs ${size} bytes, has ${a.data.byteLength}`);
  return viewOf(a.data);
}

/** An 8-bit attribute payload. */
export const readU8 = (a: Attribute, what = 'u8'): number => sized(a, 1, what).getUint8(0);
/** A 16-bit host-order attribute payload. */
export const readU16 = (a: Attribute, what = 'u16'): number => sized(a, 2, what).getUint16(0, true);
/** A 16-bit network-order attribute payload (ports). */
export const readBe16 = (a: Attribute, what = 'be16'): number => sized(a, 2, what).getUint16(0, false);
/** A 32-bit host-order attribute payload. */
export const readU32 = (a: Attribute, what = 'u32'): number => sized(a, 4, what).getUint32(0, true);
/** A 32-bit signed host-order attribute payload. */
export const readI32 = (a: Attribute, what = 'i32'): number => sized(a, 4, what).getInt32(0, true);

/** A NUL-terminated (or unterminated) string payload. */
export function readString(a: Attribute): string {
  const end = a.data.indexOf(0);
  return new TextDecoder().decode(end === -1 ? a.data : a.data.subarray(0, end));
}

/** The family (4 or 6) of an IP address text, or throws `RangeError`. */
export function familyOf(ip: string): 4 | 6 {
  if (isIPv4(ip)) return 4;
  if (isIPv6(ip)) return 6;
  throw new RangeError(`IP address ${JSON.stringify(ip)} is invalid: must be IPv4 dotted quad or IPv6 text`);
}

/** The 4 or 16 network-order bytes of an IP address text. */
export function ipToBytes(ip: string): Uint8Array {
  if (familyOf(ip) === 4) return Uint8Array.from(ip.split('.').map(Number));
  const [head = '', tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (group.includes('.')) {
        // An embedded IPv4 tail (`::ffff:10.0.0.1`) is two groups.
        const [a = 0, b = 0, c = 0, d = 0] = ipToBytes(group);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(group, 16));
      }
    }
    return out;
  };
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** The text of 4 or 16 network-order bytes (IPv6 in RFC 5952 form). */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.byteLength === 4) return Array.from(bytes).join('.');
  if (bytes.byteLength !== 16) throw new RangeError(`IP address of ${bytes.byteLength} bytes is invalid: must be 4 or 16 bytes`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // Longest run (≥ 2) of zero groups becomes `::`.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Reads an IP address attribute. */
export function readIp(a: Attribute): string {
  return bytesToIp(a.data);
}

/** The 6 bytes of a MAC text `aa:bb:cc:dd:ee:ff` (any case). */
export function macToBytes(mac: string): Uint8Array {
  if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(mac)) {
    throw new RangeError(`MAC address ${JSON.stringify(mac)} is invalid: must be six hex octets separated by ':'`);
  }
  return Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16)));
}

/** The lower-case text of hardware-address bytes (any length; 6 for Ethernet). */
export function bytesToMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Splits `address/prefix` into its parts, range-checking the prefix. */
export function parseCidr(cidr: string): { address: string; prefixLength: number; family: 4 | 6 } {
  const slash = cidr.indexOf('/');
  const address = slash === -1 ? cidr : cidr.slice(0, slash);
  const family = familyOf(address);
  const max = family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : cidr.slice(slash + 1);
  const prefixLength = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefixLength >= 0 && prefixLength <= max)) {
    throw new RangeError(`CIDR ${JSON.stringify(cidr)} is invalid: prefix must be an integer in [0, ${max}]`);
  }
  return { address, prefixLength, family };
}
