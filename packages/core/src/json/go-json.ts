// Byte-exact reproductions of what Go's encoding/json writes (json.Marshal: HTML escaping on).
// Internal to @flannel-ts/core.
import { parseJsonDocument } from './json-document.js';

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A string as Go's `json.Marshal` writes it: `"`, `\` and control characters escaped (`\b \f \n \r \t`
 * short, others `\u00xx`), `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes, and a lone surrogate (Go:
 * invalid UTF-8) as `\ufffd`.
 */
export function goJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[code];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code === 0x3c || code === 0x3e || code === 0x26 || code === 0x2028 || code === 0x2029) out += unicodeEscape(code);
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += value[i]! + value[i + 1]!;
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else out += value[i]!;
  }
  return `${out}"`;
}

/**
 * Raw JSON as Go's `json.Marshal` writes a `json.RawMessage`: validated, insignificant whitespace
 * removed (`json.Compact`), and `<`, `>`, `&`, U+2028, U+2029 inside strings escaped. Everything else —
 * key order, number spelling, existing escapes — is kept byte for byte. Throws the parser's
 * `JsonSyntaxError` when `raw` is not valid JSON.
 */
export function goCompactJson(raw: string): string {
  parseJsonDocument(raw);
  let out = '';
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    const code = raw.charCodeAt(i);
    if (inString) {
      if (c === '\\') {
        out += c + raw[i + 1]!;
        i++;
      } else if (c === '"') {
        inString = false;
        out += c;
      } else if (code === 0x3c || code === 0x3e || code === 0x26 || code === 0x2028 || code === 0x2029) {
        out += unicodeEscape(code);
      } else {
        out += c;
      }
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
      out += c;
    }
  }
  return out;
}
