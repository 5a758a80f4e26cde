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

/** Two lower-case hex digits of each byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Octet `i` of `text` read from two hex digits at `at`, stored in `bytes`; false when not hex. */
function octetAt(text: string, at: number, bytes: Uint8Array, i: number): boolean {
  const high = hexDigit(text.charCodeAt(at));
  const low = hexDigit(text.charCodeAt(at + 1));
  if (high < 0 || low < 0) return false;
  bytes[i] = (high << 4) | low;
  return true;
}

/**
 * The six octets of `aa:bb:cc:dd:ee:ff` / `aa-bb-…` (one separator throughout) or `aabb.ccdd.eeff`, any case,
 * or `undefined`. Hand-rolled: it runs for every neighbour and FDB entry of every batch.
 */
function parseMacText(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(6);
  if (text.length === 17) {
    const separator = text.charCodeAt(2);
    if (separator !== 58 && separator !== 45) return undefined; // ':' or '-'
    for (let i = 0; i < 6; i++) {
      if (i > 0 && text.charCodeAt(3 * i - 1) !== separator) return undefined;
      if (!octetAt(text, 3 * i, bytes, i)) return undefined;
    }
    return bytes;
  }
  if (text.length === 14) {
    if (text.charCodeAt(4) !== 46 || text.charCodeAt(9) !== 46) return undefined; // '.'
    for (let i = 0; i < 6; i++) {
      const at = 5 * (i >> 1) + 2 * (i & 1);
      if (!octetAt(text, at, bytes, i)) return undefined;
    }
    return bytes;
  }
  return undefined;
}

/** @internal */
export function macWith(text: string, field: string, fail: Fail): Uint8Array {
  if (typeof text === 'string') {
    const bytes = parseMacText(text);
    if (bytes) return bytes;
  }
  return fail(field, text, 'must be a MAC address of exactly 6 octets (aa:bb:cc:dd:ee:ff)');
}

/** True when `text` is already the lower-case colon form (`0e:2a:00:00:00:01`); checked without allocating. */
function isCanonicalMacText(text: string): boolean {
  if (text.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const code = text.charCodeAt(i);
    if (i % 3 === 2 ? code !== 58 : !((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}

/**
 * @internal The lower-case colon form of MAC text, or a refusal: `formatMac(macWith(…))`, except that text already
 * in that form (what every batched neighbour and FDB entry carries) is returned as it is.
 */
export function macTextWith(text: string, field: string, fail: Fail): string {
  return typeof text === 'string' && isCanonicalMacText(text) ? text : formatMac(macWith(text, field, fail));
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
  if (bytes.length === 6) {
    return `${HEX[bytes[0]!]}:${HEX[bytes[1]!]}:${HEX[bytes[2]!]}:${HEX[bytes[3]!]}:${HEX[bytes[4]!]}:${HEX[bytes[5]!]}`;
  }
  return Array.from(bytes, (b) => HEX[b]!).join(':');
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
