// MAC address text: `aa:bb:cc:dd:ee:ff`, `AA-BB-…`, `aabb.ccdd.eeff` in; lower-case colon form out.
import { throwPlain, type Fail } from './validate-rules.js';

/**
 * Parses a 6-octet MAC: `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF` or `aabb.ccdd.eeff`.
 *
 * @example
 * ```ts
 * parseMac('0E-2A-00-00-00-01'); // Uint8Array [14, 42, 0, 0, 0, 1]
 * ```
 */
export function parseMac(text: string, field = 'hardwareAddress'): Uint8Array {
  return macWith(text, field, throwPlain);
}

/** @internal */
export function macWith(text: string, field: string, fail: Fail): Uint8Array {
  const rule = 'must be a MAC address of exactly 6 octets (aa:bb:cc:dd:ee:ff)';
  if (typeof text !== 'string') return fail(field, text, rule);
  let hex: string | undefined;
  if (/^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(text)) hex = text.replace(/[:-]/g, '');
  else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(text)) hex = text.replace(/\./g, '');
  if (hex === undefined) return fail(field, text, rule);
  const bytes = new Uint8Array(6);
  for (let i = 0; i < 6; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/**
 * Lower-case colon form of a 6-octet MAC.
 *
 * @example
 * ```ts
 * formatMac(new Uint8Array([0x0e, 0x2a, 0, 0, 0, 1])); // '0e:2a:00:00:00:01'
 * ```
 */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * Normalises MAC text to lower-case colon form, validating it.
 *
 * @example
 * ```ts
 * normalizeMac('C6:D2:32:6F:8F:44'); // 'c6:d2:32:6f:8f:44'
 * ```
 */
export function normalizeMac(text: string, field = 'hardwareAddress'): string {
  return formatMac(macWith(text, field, throwPlain));
}

/** @internal */
export function unicastMac(fail: Fail, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const bytes = macWith(value as string, field, fail);
  // eth_validate_addr: the kernel refuses multicast and all-zero addresses for Ethernet-like links.
  if ((bytes[0]! & 1) === 1) return fail(field, value, 'must be a unicast MAC (lowest bit of the first octet clear)');
  if (bytes.every((b) => b === 0)) return fail(field, value, 'must not be 00:00:00:00:00:00');
  return formatMac(bytes);
}
