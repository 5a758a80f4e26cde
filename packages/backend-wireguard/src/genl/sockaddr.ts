// `struct sockaddr_in` / `struct sockaddr_in6` as WGPEER_A_ENDPOINT carries them: family in host order
// (little-endian here), port in network order.
import { IpNet } from '@flannel-ts/core';
import { AF_INET, AF_INET6 } from './wireguard-genl-constants.js';

/** Length of `struct sockaddr_in` and `struct sockaddr_in6`. */
export const SOCKADDR_IN_LENGTH = 16;
export const SOCKADDR_IN6_LENGTH = 28;

function splitEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(endpoint) ?? /^([^:]+):(\d+)$/.exec(endpoint);
  if (match === null) throw new RangeError(`endpoint ${JSON.stringify(endpoint)} is not host:port or [v6]:port`);
  const port = Number(match[2]);
  if (port > 65535) throw new RangeError(`endpoint ${JSON.stringify(endpoint)}: port ${port} is out of range 0..65535`);
  return { host: match[1]!, port };
}

function addressBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let rest = value;
  for (let index = length - 1; index >= 0; index -= 1) {
    out[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/**
 * Encodes `192.168.1.2:51820` as `sockaddr_in`, `[fd00::2]:51821` as `sockaddr_in6`.
 *
 * @example
 * ```ts
 * encodeSockaddr('10.0.0.1:51820'); // 02 00 ca 6c 0a 00 00 01 00 00 00 00 00 00 00 00
 * ```
 */
export function encodeSockaddr(endpoint: string): Uint8Array {
  const { host, port } = splitEndpoint(endpoint);
  const parsed = IpNet.parseAddress(host);
  const out = new Uint8Array(parsed.family === 4 ? SOCKADDR_IN_LENGTH : SOCKADDR_IN6_LENGTH);
  const view = new DataView(out.buffer);
  view.setUint16(0, parsed.family === 4 ? AF_INET : AF_INET6, true);
  view.setUint16(2, port, false);
  out.set(addressBytes(parsed.value, parsed.family === 4 ? 4 : 16), parsed.family === 4 ? 4 : 8);
  return out;
}

function addressText(bytes: Uint8Array, family: 4 | 6): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return IpNet.formatAddress({ family, value });
}

/** Decodes a `sockaddr_in`/`sockaddr_in6` into `host:port` / `[v6]:port`; throws `RangeError` on other data. */
export function decodeSockaddr(bytes: Uint8Array): string {
  if (bytes.byteLength < 2) throw new RangeError('sockaddr: truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const family = view.getUint16(0, true);
  if (family === AF_INET && bytes.byteLength >= SOCKADDR_IN_LENGTH) return `${addressText(bytes.subarray(4, 8), 4)}:${view.getUint16(2, false)}`;
  if (family === AF_INET6 && bytes.byteLength >= SOCKADDR_IN6_LENGTH) return `[${addressText(bytes.subarray(8, 24), 6)}]:${view.getUint16(2, false)}`;
  throw new RangeError(`sockaddr: family ${family} with ${bytes.byteLength} bytes is not sockaddr_in or sockaddr_in6`);
}

/** An allowed IP's address bytes and family from a CIDR. */
export function cidrParts(cidr: string): { family: number; address: Uint8Array; prefixLength: number } {
  const net = IpNet.parse(cidr);
  return { family: net.family === 4 ? AF_INET : AF_INET6, address: addressBytes(IpNet.parseAddress(net.address).value, net.family === 4 ? 4 : 16), prefixLength: net.prefixLength };
}

/** The CIDR text of an allowed IP's family, address bytes and mask. */
export function cidrText(family: number, address: Uint8Array, prefixLength: number): string {
  const text = addressText(address, family === AF_INET ? 4 : 6);
  return `${text}/${prefixLength}`;
}
