// A small JSON parser that keeps where every value sits in the text, so callers can (a) keep a
// member's raw bytes verbatim (Go's json.RawMessage), (b) match keys case-insensitively in order
// (Go's encoding/json: last matching key wins) and (c) report syntax errors by line and column.
// Internal to @flannel-ts/core.

/** A parsed JSON value with its span `[start, end)` in the source text. */
export type JsonNode =
  | { readonly kind: 'object'; readonly start: number; readonly end: number; readonly members: readonly JsonMember[] }
  | { readonly kind: 'array'; readonly start: number; readonly end: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: 'number'; readonly start: number; readonly end: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly start: number; readonly end: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly start: number; readonly end: number };

/** One `"key": value` member of an object, in source order. */
export interface JsonMember {
  readonly key: string;
  readonly value: JsonNode;
}

/** A JSON syntax error with its 1-based line and column. */
export class JsonSyntaxError extends SyntaxError {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line} column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function skipDigits(text: string, pos: number): number {
  while (pos < text.length && text.charCodeAt(pos) >= 0x30 && text.charCodeAt(pos) <= 0x39) pos++;
  return pos;
}

/** Just past the JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`) at `pos`, or -1 when none starts there. */
function skipNumber(text: string, pos: number): number {
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
  const exponent = text.charCodeAt(pos);
  if (exponent === 0x65 || exponent === 0x45) {
    pos++;
    const sign = text.charCodeAt(pos);
    if (sign === 0x2b || sign === 0x2d) pos++;
    const end = skipDigits(text, pos);
    if (end === pos) return -1;
    pos = end;
  }
  return pos;
}

/** Line and column (1-based, columns in UTF-16 units) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The offending character of a syntax error as the message shows it: a JSON string, with invisible ones
 * (format characters, odd spaces, unassigned code points) as `\\uXXXX`, and a byte order mark named, since
 * an editor that saves "UTF-8 with BOM" is the usual cause and the character itself prints as nothing.
 */
function quoteCharacter(character: string): string {
  const code = character.charCodeAt(0);
  if (code === 0xfeff) return '"\\uFEFF" (a byte order mark: save the file as UTF-8 without BOM)';
  if (/^[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]$/u.test(character) || (/^\p{Zs}$/u.test(character) && character !== ' ')) {
    return `"\\u${code.toString(16).toUpperCase().padStart(4, '0')}"`;
  }
  return JSON.stringify(character);
}

/** Parses one JSON document (RFC 8259; whitespace around it allowed). Throws {@link JsonSyntaxError}. */
export function parseJsonDocument(text: string): JsonNode {
  let pos = 0;

  const fail = (reason: string, at = pos): never => {
    const { line, column } = lineAndColumn(text, at);
    throw new JsonSyntaxError(reason, at, line, column);
  };
  const unexpected = (context: string): never =>
    fail(pos >= text.length ? 'unexpected end of JSON input' : `invalid character ${quoteCharacter(text[pos]!)} ${context}`);
  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    let chunk = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(chunk, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail(`invalid character ${quoteCharacter(text[pos]!)} in string literal`);
      if (c === 0x5c) {
        out += text.slice(chunk, pos);
        const escape = text[pos + 1];
        if (escape === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string literal');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (escape !== undefined && ESCAPES[escape] !== undefined) {
          out += ESCAPES[escape];
          pos += 2;
        } else {
          fail('invalid escape in string literal');
        }
        chunk = pos;
        continue;
      }
      pos++;
    }
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > 1000) fail('exceeded max depth');
    skipSpace();
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const members: JsonMember[] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', start, end: pos, members };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') unexpected('looking for beginning of object key string');
        const key = parseString();
        skipSpace();
        if (text[pos] !== ':') unexpected('after object key');
        pos++;
        members.push({ key, value: parseValue(depth + 1) });
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', start, end: pos, members };
        }
        unexpected('after object key:value pair');
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', start, end: pos, items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', start, end: pos, items };
        }
        unexpected('after array element');
      }
    }
    if (c === '"') {
      const value = parseString();
      return { kind: 'string', start, end: pos, value };
    }
    if (text.startsWith('true', pos)) {
      pos += 4;
      return { kind: 'boolean', start, end: pos, value: true };
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return { kind: 'boolean', start, end: pos, value: false };
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { kind: 'null', start, end: pos };
    }
    const numberEnd = skipNumber(text, pos);
    if (numberEnd > 0) {
      pos = numberEnd;
      return { kind: 'number', start, end: pos, text: text.slice(start, pos) };
    }
    return unexpected('looking for beginning of value');
  };

  const root = parseValue(0);
  skipSpace();
  if (pos < text.length) fail(`invalid character ${quoteCharacter(text[pos]!)} after top-level value`);
  return root;
}

/**
 * The member Go's encoding/json would assign to a struct field named `name`: among keys equal to
 * `name` ignoring case, the last one (every match overwrites the previous).
 */
export function findMember(node: JsonNode & { kind: 'object' }, name: string): JsonMember | undefined {
  const folded = name.toLowerCase();
  let found: JsonMember | undefined;
  for (const member of node.members) {
    if (matchesName(member.key, name, folded)) found = member;
  }
  return found;
}

/**
 * `key === name` or equal ignoring case. Lower-casing never makes a text shorter, and a key that grows
 * while lower-cased holds a character that is not ASCII afterwards, so only keys of the name's length can
 * match a struct field name (ASCII).
 */
function matchesName(key: string, name: string, folded: string): boolean {
  return key === name || (key.length === name.length && key.toLowerCase() === folded);
}

/**
 * The member Go's encoding/json would leave in a struct field of plain type (bool, number, string)
 * named `name`: JSON `null` is a no-op for such a field, so the last match that is not `null` wins.
 * (Pointer, slice and `json.RawMessage` fields do take a `null`: use {@link findMember} for those.)
 */
export function findValueMember(node: JsonNode & { kind: 'object' }, name: string): JsonMember | undefined {
  const folded = name.toLowerCase();
  let found: JsonMember | undefined;
  for (const member of node.members) {
    if (member.value.kind !== 'null' && matchesName(member.key, name, folded)) found = member;
  }
  return found;
}

/** Converts a node to the plain JavaScript value `JSON.parse` would give. */
export function toPlainValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const member of node.members) {
        // A repeated key moves to the end, so "last key wins" also holds in insertion order.
        delete out[member.key];
        Object.defineProperty(out, member.key, { value: toPlainValue(member.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'array':
      return node.items.map(toPlainValue);
    case 'number':
      return Number(node.text);
    case 'null':
      return null;
    default:
      return node.value;
  }
}
