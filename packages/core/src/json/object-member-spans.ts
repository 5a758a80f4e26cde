// Where each top-level member of a JSON object sits, for text that JSON.parse has already accepted: lease
// decoding validates with the native parser and only needs the spans to keep raw values (json.RawMessage)
// and to match keys in source order. No validation here, and no node per nested value.
// Internal to @flannel-ts/core.

/** One `"key": value` member of a JSON object: the decoded key and the value's span `[start, end)`. */
export interface JsonMemberSpan {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Open containers (the root included) past which the scanner gives up: `parseJsonDocument` fails on a
 * value inside 1001 open containers, so beyond 1000 the caller must fall back to the strict parser and
 * its answer (an empty innermost container is still accepted there; giving up early only costs time).
 */
const MAX_OPEN = 1000;

function skipSpace(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return pos;
    pos++;
  }
}

/** From the opening quote at `pos` to just past the closing one; negated when the string holds an escape. */
function skipString(text: string, pos: number): number {
  let escaped = false;
  for (let i = pos + 1; ; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return escaped ? -(i + 1) : i + 1;
    if (i >= text.length) return text.length; // unterminated: only on text JSON.parse refused
    if (c === 0x5c) {
      escaped = true;
      i += 2;
    } else {
      i++;
    }
  }
}

/** From the first character of a value to just past it; -1 when containers nest deeper than {@link MAX_OPEN}. */
function skipValue(text: string, pos: number): number {
  const first = text.charCodeAt(pos);
  if (first === 0x22) return Math.abs(skipString(text, pos));
  if (first === 0x7b || first === 0x5b) {
    // The root object is open already: a member's container is the second level.
    let open = 2;
    for (let i = pos + 1; ; ) {
      if (i >= text.length) return -1; // unterminated: only on text JSON.parse refused
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i = Math.abs(skipString(text, i));
      } else if (c === 0x7b || c === 0x5b) {
        if (++open > MAX_OPEN) return -1;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        if (--open === 1) return i + 1;
        i++;
      } else {
        i++;
      }
    }
  }
  // A number, true, false or null runs to the next separator or space.
  let i = pos + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || Number.isNaN(c)) return i;
    i++;
  }
}

/**
 * The members of the JSON object `text`, in source order (repeated keys included), or `undefined` when the
 * object nests deeper than the strict parser allows. `text` must be a JSON object that `JSON.parse`
 * accepts: anything else gives a meaningless answer or a `SyntaxError`, but always ends, in time linear in its length.
 *
 * @example
 * ```ts
 * scanObjectMemberSpans('{"a": {"b":1}, "a":2}'); // [{ key: 'a', start: 6, end: 13 }, { key: 'a', start: 19, end: 20 }]
 * ```
 */
export function scanObjectMemberSpans(text: string): JsonMemberSpan[] | undefined {
  const members: JsonMemberSpan[] = [];
  let pos = skipSpace(text, 0) + 1; // past '{'
  pos = skipSpace(text, pos);
  if (text.charCodeAt(pos) === 0x7d) return members;
  for (;;) {
    // Past the end only on text JSON.parse refused: stop rather than loop.
    if (pos >= text.length || text.charCodeAt(pos) !== 0x22) return undefined;
    const keyEnd = skipString(text, pos);
    const key = keyEnd < 0 ? (JSON.parse(text.slice(pos, -keyEnd)) as string) : text.slice(pos + 1, keyEnd - 1);
    const start = skipSpace(text, skipSpace(text, Math.abs(keyEnd)) + 1); // past ':'
    const end = skipValue(text, start);
    if (end < 0) return undefined;
    members.push({ key, start, end });
    pos = skipSpace(text, end);
    if (text.charCodeAt(pos) === 0x7d) return members;
    pos = skipSpace(text, pos + 1); // past ','
  }
}
