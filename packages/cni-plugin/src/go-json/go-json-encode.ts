// JSON text exactly as Go's encoding/json writes it, because flannel's plugin (a Go program) writes the
// scratch file and prints results with it, and a runtime may compare or re-read those bytes.
//
// Differences from JSON.stringify that matter (Go 1.22+, which flannel's releases are built with):
// - `<`, `>`, `&` are escaped as \u003c, \u003e, \u0026 and U+2028/U+2029 as \u2028/\u2029 (HTML-safe);
// - a lone surrogate (Go's decoder turned it into U+FFFD) is written as a literal U+FFFD;
// - map keys are sorted by their bytes (`json.Marshal` of a `map[string]interface{}`);
// - `-0` stays `-0`;
// - MarshalIndent keeps `{}` and `[]` on one line.
// Numbers: Go formats a float64 with 'f' unless |x| < 1e-6 or |x| >= 1e21, then 'e' with the exponent's
// leading zero dropped; that is what Number#toString does.

/** A value Go's encoding/json can write: what `JSON.parse` returns, with objects as Go maps or structs. */
export type GoJsonValue = null | boolean | number | string | GoStruct | readonly GoJsonValue[] | { readonly [key: string]: GoJsonValue | undefined };

/**
 * A Go struct value inside a map: its fields are written in declaration order even where map keys are
 * sorted (a `[]types.Route` inside flannel's delegate map keeps `dst, gw, mtu, advmss, …`).
 * Fields whose value is `undefined` are left out (`omitempty`).
 */
export class GoStruct {
  constructor(readonly fields: Readonly<Record<string, GoJsonValue | undefined>>) {}
}

/** Options of {@link goJsonEncode}. */
export interface GoJsonEncodeOptions {
  /**
   * Objects are Go maps: keys sorted bytewise (Go's order), as `json.Marshal(map[string]interface{})`.
   * When false, keys keep their insertion order (a Go struct's field order).
   */
  readonly sortKeys: boolean;
  /** `json.MarshalIndent(v, "", indent)`; compact when absent. */
  readonly indent?: string;
}

const HEX = '0123456789abcdef';

/** Go's `encodeState.string` with HTML escaping on. */
export function goJsonString(text: string): string {
  let out = '"';
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    let escape: string | undefined;
    if (code < 0x20) {
      escape = code === 0x0a ? '\\n' : code === 0x0d ? '\\r' : code === 0x09 ? '\\t' : code === 0x08 ? '\\b' : code === 0x0c ? '\\f' : `\\u00${HEX[code >> 4]}${HEX[code & 15]}`;
    } else if (code === 0x22) escape = '\\"';
    else if (code === 0x5c) escape = '\\\\';
    else if (code === 0x3c) escape = '\\u003c';
    else if (code === 0x3e) escape = '\\u003e';
    else if (code === 0x26) escape = '\\u0026';
    else if (code === 0x2028) escape = '\\u2028';
    else if (code === 0x2029) escape = '\\u2029';
    else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(index + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
      escape = '\ufffd';
    }
    if (escape !== undefined) {
      out += text.slice(start, index) + escape;
      start = index + 1;
    }
  }
  return `${out + text.slice(start)}"`;
}

/** Go's float64 encoding (`floatEncoder`), which for finite numbers is Number#toString except for -0. */
export function goJsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`json: unsupported value: ${value}`);
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Bytewise order of UTF-8 strings (Go sorts map keys with `strings.Compare` / `slices.Sort`). */
export function compareGoStrings(left: string, right: string): number {
  if (left === right) return 0;
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

function sortedKeys(keys: string[]): string[] {
  // UTF-16 order equals UTF-8 byte order unless a key holds a surrogate pair beside U+E000..U+FFFF.
  return keys.some((key) => /[\ud800-\udfff\ue000-\uffff]/.test(key)) ? keys.sort(compareGoStrings) : keys.sort();
}

/** A container being encoded: its members' prefixes (`"key":` or nothing) and values, and their texts so far. */
interface EncodeFrame {
  readonly opening: string;
  readonly closing: string;
  readonly members: readonly (readonly [prefix: string, value: GoJsonValue | undefined])[];
  /** The indentation of the members (undefined: compact) and of the closing bracket. */
  readonly inner: string | undefined;
  readonly depth: string;
  readonly texts: string[];
}

// With an explicit stack, not recursion: Go encodes the 10,000 levels its decoder accepts, and a delegate
// config that deep must not overflow the call stack.
function encodeValue(root: GoJsonValue | undefined, options: GoJsonEncodeOptions): string {
  const stack: EncodeFrame[] = [];
  // A scalar's or an empty container's text; a non-empty container opens a frame instead (undefined).
  const begin = (value: GoJsonValue | undefined, depth: string): string | undefined => {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') return goJsonNumber(value);
    if (typeof value === 'string') return goJsonString(value);
    const inner = options.indent === undefined ? undefined : depth + options.indent;
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      stack.push({ opening: '[', closing: ']', members: (value as readonly GoJsonValue[]).map((item) => ['', item] as const), inner, depth, texts: [] });
      return undefined;
    }
    const struct = value instanceof GoStruct;
    const object = (struct ? value.fields : value) as { readonly [key: string]: GoJsonValue | undefined };
    let keys = Object.keys(object).filter((key) => object[key] !== undefined);
    if (options.sortKeys && !struct) keys = sortedKeys(keys);
    if (keys.length === 0) return '{}';
    const colon = inner === undefined ? ':' : ': ';
    stack.push({ opening: '{', closing: '}', members: keys.map((key) => [`${goJsonString(key)}${colon}`, object[key]] as const), inner, depth, texts: [] });
    return undefined;
  };
  let finished = begin(root, '');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (finished !== undefined) {
      frame.texts.push(`${frame.members[frame.texts.length]![0]}${finished}`);
      finished = undefined;
    }
    const next = frame.members[frame.texts.length];
    if (next !== undefined) {
      finished = begin(next[1], frame.inner ?? '');
      continue;
    }
    stack.pop();
    const open = frame.inner === undefined ? '' : `\n${frame.inner}`;
    const close = frame.inner === undefined ? '' : `\n${frame.depth}`;
    const separator = frame.inner === undefined ? ',' : `,\n${frame.inner}`;
    finished = `${frame.opening}${open}${frame.texts.join(separator)}${close}${frame.closing}`;
  }
  return finished!;
}

/**
 * Encodes `value` as Go's `json.Marshal` (or `json.MarshalIndent` with `indent`). Properties whose value
 * is `undefined` are left out (a Go `omitempty` field that is empty).
 *
 * @example
 * ```ts
 * goJsonEncode({ type: 'bridge', ipMasq: false, name: 'cbr0' }, { sortKeys: true });
 * // '{"ipMasq":false,"name":"cbr0","type":"bridge"}'
 * ```
 */
export function goJsonEncode(value: GoJsonValue, options: GoJsonEncodeOptions): string {
  return encodeValue(value, options);
}
