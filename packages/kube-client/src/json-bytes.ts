import { KubeError } from './kube-error.js';

// Byte-level JSON helpers for the node list decoder: they read UTF-8 bytes where they lie (no string per
// chunk, no object per skipped member) and throw INCOMPLETE when the value runs past the bytes received so
// far, so the caller can retry once more bytes have arrived.

/** Thrown (never escapes the decoder) when a value continues past the end of the bytes at hand. */
export const INCOMPLETE: unique symbol = Symbol('incomplete JSON value');

/** How deep a skipped value may nest; deeper input is rejected instead of exhausting memory or the stack. */
export const MAX_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Throws a {@link KubeError} `PROTOCOL` naming the rule broken. */
export function invalid(rule: string): never {
  throw new KubeError('PROTOCOL', `node list is not valid JSON: ${rule}`);
}

/** Index of the first byte at or after `i` that is not JSON whitespace; INCOMPLETE at the end. */
export function skipSpace(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  while (i < n) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  throw INCOMPLETE;
}

/** Expects byte `c` (after whitespace) at `i`; returns the index after it. */
export function expectByte(bytes: Uint8Array, i: number, c: number, rule: string): number {
  i = skipSpace(bytes, i);
  if (bytes[i] !== c) invalid(rule);
  return i + 1;
}

/**
 * Skips the string whose opening quote is at `i - 1`; returns the index after its closing quote, or its
 * negation minus one when it holds an escape (so the caller knows a plain byte slice will not do).
 */
export function skipString(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  let escaped = false;
  while (i < n) {
    const c = bytes[i++]!;
    if (c === QUOTE) return escaped ? -i - 1 : i;
    if (c === BACKSLASH) {
      escaped = true;
      i++;
    } else if (c < 0x20) {
      invalid('a string holds a raw control character');
    }
  }
  throw INCOMPLETE;
}

/** Whether the string between quotes `[start, end)` (end = after the closing quote) equals `expected`. */
export function stringEquals(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start - 2 !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (bytes[start + 1 + k] !== expected[k]) return false;
  return true;
}

/** Whether the string between quotes `[start, end)` starts with `prefix`. */
export function stringStartsWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start - 2 < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[start + 1 + k] !== prefix[k]) return false;
  return true;
}

const decoder = new TextDecoder();

/** The text of the string `[start, end)` (quotes included), escapes resolved. */
export function stringValue(bytes: Uint8Array, start: number, end: number, hasEscape: boolean): string {
  if (!hasEscape) return decoder.decode(bytes.subarray(start + 1, end - 1));
  try {
    return JSON.parse(decoder.decode(bytes.subarray(start, end))) as string;
  } catch (error) {
    return invalid(`bad escape in a string: ${(error as Error).message}`);
  }
}

function skipScalar(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  const first = bytes[i]!;
  if (first === 0x74 || first === 0x66 || first === 0x6e) {
    const word = first === 0x74 ? 'true' : first === 0x66 ? 'false' : 'null';
    if (i + word.length > n) throw INCOMPLETE;
    for (let k = 1; k < word.length; k++) if (bytes[i + k] !== word.charCodeAt(k)) invalid(`unexpected literal at byte ${i}`);
    return i + word.length;
  }
  const start = i;
  // Digits, sign, decimal point and exponent; exact number syntax is not checked in skipped values.
  while (i < n) {
    const c = bytes[i]!;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) i++;
    else break;
  }
  if (i === start) invalid(`unexpected byte 0x${first.toString(16)} at ${i}`);
  if (i === n) throw INCOMPLETE; // a number needs a delimiter after it
  return i;
}

/**
 * Skips one JSON value starting at or after `i` without building it: strings, nesting and the order of
 * keys, colons and commas are checked (closers must match openers, depth at most {@link MAX_DEPTH});
 * numbers are only checked for their characters. Returns the index after the value.
 */
export function skipValue(bytes: Uint8Array, i: number, stack: Uint8Array): number {
  let depth = 0;
  for (;;) {
    // A value.
    i = skipSpace(bytes, i);
    let c = bytes[i]!;
    if (c === QUOTE) {
      const end = skipString(bytes, i + 1);
      i = end < 0 ? -end - 1 : end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === MAX_DEPTH) invalid(`nested deeper than ${MAX_DEPTH}`);
      const closer = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      i = skipSpace(bytes, i + 1);
      if (bytes[i] === closer) {
        i++;
      } else {
        stack[depth++] = closer;
        if (closer === CLOSE_BRACE) i = skipKey(bytes, i);
        continue;
      }
    } else {
      i = skipScalar(bytes, i);
    }
    // After a value: close containers or move to the next member.
    for (;;) {
      if (depth === 0) return i;
      i = skipSpace(bytes, i);
      c = bytes[i]!;
      const closer = stack[depth - 1];
      if (c === closer) {
        depth--;
        i++;
      } else if (c === COMMA) {
        i++;
        if (closer === CLOSE_BRACE) i = skipKey(bytes, skipSpace(bytes, i));
        break;
      } else {
        invalid(`expected ',' or '${String.fromCharCode(closer!)}' at byte ${i}`);
      }
    }
  }
}

/** Skips `"key" :` at `i`; returns the index after the colon. */
function skipKey(bytes: Uint8Array, i: number): number {
  if (bytes[i] !== QUOTE) invalid(`expected a member name at byte ${i}`);
  const end = skipString(bytes, i + 1);
  return expectByte(bytes, end < 0 ? -end - 1 : end, COLON, `expected ':' after a member name`);
}

export { QUOTE, COMMA, COLON, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET };
