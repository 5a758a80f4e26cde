// Validating JSON skips that allocate nothing: lease decoding checks a value's syntax and finds where its
// top-level members sit in one pass, instead of JSON.parse (which builds every nested object) plus a scan.
// They accept exactly what JSON.parse accepts (RFC 8259: whitespace is space, tab, LF, CR; any string
// character but the controls U+0000–U+001F; lone surrogates included). Internal to @flannel-ts/core.

/**
 * Open containers (the caller's included) past which {@link skipJsonValue} gives up: `parseJsonDocument`
 * fails on a value inside 1001 open containers, so beyond 1000 the caller must fall back to the strict
 * parser and its answer (giving up early only costs time).
 */
export const MAX_OPEN_CONTAINERS = 1000;

/** Kind of each container open inside {@link skipJsonValue}: 1 object, 2 array. Reused: no allocation per call. */
const openKinds = new Uint8Array(MAX_OPEN_CONTAINERS + 1);

/** The first position at or after `pos` that is not JSON whitespace. */
export function skipJsonSpace(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return pos;
    pos++;
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/**
 * From the opening quote at `pos` to just past the closing one; -1 when no valid JSON string starts there.
 *
 * @example
 * ```ts
 * skipJsonString('"a\\"b" x', 0); // 6
 * skipJsonString('"a\\xb"', 0); // -1
 * ```
 */
export function skipJsonString(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 0x22) return -1;
  const length = text.length;
  for (let i = pos + 1; i < length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    const escaped = text.charCodeAt(i + 1);
    if (escaped === 0x75) {
      // \uXXXX
      if (!isHex(text.charCodeAt(i + 2)) || !isHex(text.charCodeAt(i + 3)) || !isHex(text.charCodeAt(i + 4)) || !isHex(text.charCodeAt(i + 5))) {
        return -1;
      }
      i += 6;
    } else if (escaped === 0x22 || escaped === 0x5c || escaped === 0x2f || escaped === 0x62 || escaped === 0x66 || escaped === 0x6e || escaped === 0x72 || escaped === 0x74) {
      i += 2;
    } else {
      return -1;
    }
  }
  return -1;
}

function skipDigits(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    // Written so that NaN (past the end) stops too.
    if (!(c >= 0x30 && c <= 0x39)) return pos;
    pos++;
  }
}

/** From `pos` to just past a JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`); -1 when none starts there. */
function skipJsonNumber(text: string, pos: number): number {
  if (text.charCodeAt(pos) === 0x2d) pos++;
  const first = text.charCodeAt(pos);
  if (first === 0x30) pos++;
  else if (first >= 0x31 && first <= 0x39) pos = skipDigits(text, pos + 1);
  else return -1;
  if (text.charCodeAt(pos) === 0x2e) {
    const end = skipDigits(text, pos + 1);
    if (end === pos + 1) return -1;
    pos = end;
  }
  const e = text.charCodeAt(pos);
  if (e === 0x65 || e === 0x45) {
    pos++;
    const sign = text.charCodeAt(pos);
    if (sign === 0x2b || sign === 0x2d) pos++;
    const end = skipDigits(text, pos);
    if (end === pos) return -1;
    pos = end;
  }
  return pos;
}

/** Past `"key"` + optional whitespace + `:` + optional whitespace, from a key's opening quote; -1 when invalid. */
function skipMemberKey(text: string, pos: number): number {
  const end = skipJsonString(text, pos);
  if (end < 0) return -1;
  const colon = skipJsonSpace(text, end);
  return text.charCodeAt(colon) === 0x3a ? skipJsonSpace(text, colon + 1) : -1;
}

/**
 * From the first character of a JSON value at `pos` to just past its end (trailing whitespace not
 * included); -1 when no valid JSON value starts there, or when its containers would nest deeper than
 * {@link MAX_OPEN_CONTAINERS} counting the `open` containers around it (the caller then falls back to
 * the strict parser). Allocates nothing; time linear in the value's length.
 *
 * @example
 * ```ts
 * skipJsonValue('{"a": [1, {"b": null}] }', 0, 0); // 24
 * skipJsonValue('[1,]', 0, 0); // -1
 * ```
 */
export function skipJsonValue(text: string, pos: number, open: number): number {
  const limit = MAX_OPEN_CONTAINERS - open;
  let depth = 0;
  for (;;) {
    // A value starts at `pos`.
    const c = text.charCodeAt(pos);
    let end: number;
    if (c === 0x7b || c === 0x5b) {
      if (depth >= limit) return -1;
      const inner = skipJsonSpace(text, pos + 1);
      if (text.charCodeAt(inner) === (c === 0x7b ? 0x7d : 0x5d)) {
        end = inner + 1; // an empty container is a complete value
      } else {
        openKinds[depth++] = c === 0x7b ? 1 : 2;
        pos = c === 0x7b ? skipMemberKey(text, inner) : inner;
        if (pos < 0) return -1;
        continue;
      }
    } else if (c === 0x22) {
      end = skipJsonString(text, pos);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      end = skipJsonNumber(text, pos);
    } else if (c === 0x74 && text.startsWith('true', pos)) {
      end = pos + 4;
    } else if (c === 0x66 && text.startsWith('false', pos)) {
      end = pos + 5;
    } else if (c === 0x6e && text.startsWith('null', pos)) {
      end = pos + 4;
    } else {
      return -1;
    }
    if (end < 0) return -1;
    // After a value: close containers until one goes on with a comma.
    for (;;) {
      if (depth === 0) return end;
      const next = skipJsonSpace(text, end);
      const separator = text.charCodeAt(next);
      const isObject = openKinds[depth - 1] === 1;
      if (separator === 0x2c) {
        const following = skipJsonSpace(text, next + 1);
        pos = isObject ? skipMemberKey(text, following) : following;
        if (pos < 0) return -1;
        break;
      }
      if (separator !== (isObject ? 0x7d : 0x5d)) return -1;
      depth--;
      end = next + 1;
    }
  }
}
