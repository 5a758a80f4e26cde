// Attribute payload readers and the text forms of addresses: IPs as `10.5.34.0` / `fd00::1`, MACs as `aa:bb:…`.
import { isIPv4, isIPv6 } from 'node:net';
import { viewOf } from './codec.js';
import { formatIp, ipv4Value, parseIpBytes, prefixLengthOf } from './ip-text.js';
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

function invalidIp(ip: string): never {
  throw new RangeError(`IP address ${JSON.stringify(ip)} is invalid: must be IPv4 dotted quad or IPv6 text`);
}

/** The family (4 or 6) of an IP address text, or throws `RangeError`. */
export function familyOf(ip: string): 4 | 6 {
  if (ip.includes(':')) return isIPv6(ip) ? 6 : invalidIp(ip);
  return isIPv4(ip) ? 4 : invalidIp(ip);
}

/** The 4 or 16 network-order bytes of an IP address text (strict, as {@link parseIpBytes}), or throws `RangeError`. */
export function ipToBytes(ip: string): Uint8Array {
  return parseIpBytes(ip) ?? invalidIp(ip);
}

/** The text of 4 or 16 network-order bytes (IPv6 in RFC 5952 form, as {@link formatIp}). */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.byteLength !== 4 && bytes.byteLength !== 16) {
    throw new RangeError(`IP address of ${bytes.byteLength} bytes is invalid: must be 4 or 16 bytes`);
  }
  return formatIp(bytes);
}

/** The IP address in `bytes[offset, offset + length)` (an attribute payload found by `indexAttributes`). */
export function ipAt(bytes: Uint8Array, offset: number, length: number): string {
  if (length === 4) return `${bytes[offset]!}.${bytes[offset + 1]!}.${bytes[offset + 2]!}.${bytes[offset + 3]!}`;
  return bytesToIp(bytes.subarray(offset, offset + length));
}

/** The MAC in `bytes[offset, offset + length)`, lower-case colon form (an attribute payload found by `indexAttributes`). */
export function macAt(bytes: Uint8Array, offset: number, length: number): string {
  if (length !== 6) return bytesToMac(bytes.subarray(offset, offset + length));
  const h = HEX_PAIRS;
  return `${h[bytes[offset]!]}:${h[bytes[offset + 1]!]}:${h[bytes[offset + 2]!]}:${h[bytes[offset + 3]!]}:${h[bytes[offset + 4]!]}:${h[bytes[offset + 5]!]}`;
}

/** A 32-bit host-order payload at `offset` of `view` of `length` bytes (an attribute found by `indexAttributes`). */
export function u32At(view: DataView, offset: number, length: number, type: number, what: string): number {
  if (length < 4) throw new RangeError(`${what} (attribute ${type}): needs 4 bytes, has ${length}`);
  return view.getUint32(offset, true);
}

/** A 16-bit network-order payload at `offset` of `view` of `length` bytes (an attribute found by `indexAttributes`). */
export function be16At(view: DataView, offset: number, length: number, type: number, what: string): number {
  if (length < 2) throw new RangeError(`${what} (attribute ${type}): needs 2 bytes, has ${length}`);
  return view.getUint16(offset, false);
}

/** Reads an IP address attribute. */
export function readIp(a: Attribute): string {
  return bytesToIp(a.data);
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Writes the 6 bytes of a MAC text `aa:bb:cc:dd:ee:ff` (any case) into `target` at `offset`, or throws `RangeError`. */
export function writeMac(mac: string, target: Uint8Array, offset: number): void {
  let ok = mac.length === 17;
  for (let i = 0; ok && i < 6; i++) {
    const high = hexDigit(mac.charCodeAt(i * 3));
    const low = hexDigit(mac.charCodeAt(i * 3 + 1));
    if (high < 0 || low < 0 || (i < 5 && mac.charCodeAt(i * 3 + 2) !== 58)) ok = false;
    else target[offset + i] = (high << 4) | low;
  }
  if (!ok) throw new RangeError(`MAC address ${JSON.stringify(mac)} is invalid: must be six hex octets separated by ':'`);
}

/** The 6 bytes of a MAC text `aa:bb:cc:dd:ee:ff` (any case). */
export function macToBytes(mac: string): Uint8Array {
  const bytes = new Uint8Array(6);
  writeMac(mac, bytes, 0);
  return bytes;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The lower-case text of hardware-address bytes (any length; 6 for Ethernet). */
export function bytesToMac(bytes: Uint8Array): string {
  if (bytes.byteLength === 6) {
    return `${HEX_PAIRS[bytes[0]!]}:${HEX_PAIRS[bytes[1]!]}:${HEX_PAIRS[bytes[2]!]}:${HEX_PAIRS[bytes[3]!]}:${HEX_PAIRS[bytes[4]!]}:${HEX_PAIRS[bytes[5]!]}`;
  }
  return Array.from(bytes, (b) => HEX_PAIRS[b]!).join(':');
}

/** Splits `address/prefix` into its parts, range-checking the prefix. */
export function parseCidr(cidr: string): { address: string; prefixLength: number; family: 4 | 6 } {
  const slash = cidr.indexOf('/');
  const address = slash === -1 ? cidr : cidr.slice(0, slash);
  const family = address.includes(':') ? familyOf(address) : ipv4Value(address) >= 0 ? 4 : invalidIp(address);
  const max = family === 4 ? 32 : 128;
  const prefixLength = slash === -1 ? max : prefixLengthOf(cidr, slash + 1, max);
  if (prefixLength < 0) {
    throw new RangeError(`CIDR ${JSON.stringify(cidr)} is invalid: prefix must be an integer in [0, ${max}]`);
  }
  return { address, prefixLength, family };
}
