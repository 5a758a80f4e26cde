// JSON.parse with Go's syntax error texts (encoding/json `scanner.go`), because flannel reports a bad
// network config as `error unmarshall network config: invalid character 'x' looking for beginning of value`.
// Go checks the whole input before decoding, so a syntax error anywhere wins over a type error.

/** encoding/json `scanner.go` maxNestingDepth: deeper input is a syntax error ("exceeded max depth"). */
const MAX_NESTING_DEPTH = 10_000;

function quoteChar(byte: number): string {
  if (byte === 0x27) return "'\\''";
  if (byte === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  const text = named[byte] ?? (byte < 0x20 || byte === 0x7f ? `\\x${byte.toString(16).padStart(2, '0')}` : byte >= 0x80 && byte < 0xa0 ? `\\u00${byte.toString(16)}` : String.fromCharCode(byte));
  return `'${text}'`;
}

/** Go's message for the first syntax error in `bytes` (which JSON.parse rejected, or which nests too deep). */
function goSyntaxMessage(bytes: Uint8Array): string {
  let index = 0;
  const end = 'unexpected end of JSON input';
  const invalid = (context: string): string => `invalid character ${quoteChar(bytes[index]!)} ${context}`;
  const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
  const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;
  const skip = (): void => {
    while (isSpace(bytes[index])) index++;
  };
  // A scalar (string, number, literal): an error message, or undefined once it is complete.
  const value = (): string | undefined => {
    skip();
    const byte = bytes[index];
    if (byte === undefined) return end;
    if (byte === 0x22) return string();
    if (byte === 0x2d || isDigit(byte)) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (byte !== literal.charCodeAt(0)) continue;
      index++;
      for (let at = 1; at < literal.length; at++, index++) {
        if (bytes[index] === undefined) return end;
        if (bytes[index] !== literal.charCodeAt(at)) return invalid(`in literal ${literal} (expecting '${literal[at]}')`);
      }
      return undefined;
    }
    return invalid('looking for beginning of value');
  };
  const string = (): string | undefined => {
    index++;
    for (;;) {
      const byte = bytes[index];
      if (byte === undefined) return end;
      if (byte === 0x22) {
        index++;
        return undefined;
      }
      if (byte < 0x20) return invalid('in string literal');
      if (byte === 0x5c) {
        index++;
        const escape = bytes[index];
        if (escape === undefined) return end;
        if (escape === 0x75) {
          for (let at = 0; at < 4; at++) {
            index++;
            const hex = bytes[index];
            if (hex === undefined) return end;
            if (!/[0-9a-fA-F]/.test(String.fromCharCode(hex))) return invalid('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(escape))) return invalid('in string escape code');
      }
      index++;
    }
  };
  const number = (): string | undefined => {
    if (bytes[index] === 0x2d) {
      index++;
      if (bytes[index] === undefined) return end;
      if (!isDigit(bytes[index])) return invalid('in numeric literal');
    }
    if (bytes[index] === 0x30) index++;
    else while (isDigit(bytes[index])) index++;
    if (bytes[index] === 0x2e) {
      index++;
      if (bytes[index] === undefined) return end;
      if (!isDigit(bytes[index])) return invalid('after decimal point in numeric literal');
      while (isDigit(bytes[index])) index++;
    }
    if (bytes[index] === 0x65 || bytes[index] === 0x45) {
      index++;
      if (bytes[index] === 0x2b || bytes[index] === 0x2d) index++;
      if (bytes[index] === undefined) return end;
      if (!isDigit(bytes[index])) return invalid('in exponent of numeric literal');
      while (isDigit(bytes[index])) index++;
    }
    return undefined;
  };
  // Objects and arrays with an explicit stack, as Go's scanner keeps its parse states: a config nested
  // thousands deep must give Go's error, not overflow the call stack.
  const stack: ('object' | 'array')[] = [];
  let expect: 'value' | 'firstArrayValue' | 'firstKey' | 'key' = 'value';
  for (;;) {
    skip();
    let byte = bytes[index];
    let closed = false;
    if (expect === 'firstKey' || expect === 'key') {
      if (byte === undefined) return end;
      if (expect === 'firstKey' && byte === 0x7d) {
        index++;
        stack.pop();
        closed = true;
      } else {
        if (byte !== 0x22) return invalid('looking for beginning of object key string');
        const key = string();
        if (key !== undefined) return key;
        skip();
        if (bytes[index] === undefined) return end;
        if (bytes[index] !== 0x3a) return invalid('after object key');
        index++;
        expect = 'value';
        continue;
      }
    } else if (expect === 'firstArrayValue' && byte === 0x5d) {
      index++;
      stack.pop();
      closed = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (stack.length >= MAX_NESTING_DEPTH) return invalid('exceeded max depth');
      index++;
      stack.push(byte === 0x7b ? 'object' : 'array');
      expect = byte === 0x7b ? 'firstKey' : 'firstArrayValue';
      continue;
    }
    if (!closed) {
      const scalar = value();
      if (scalar !== undefined) return scalar;
    }
    // A value is complete: close what it completes, until a comma opens the next member.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        skip();
        return bytes[index] === undefined ? 'invalid JSON' : invalid('after top-level value');
      }
      skip();
      byte = bytes[index];
      if (byte === undefined) return end;
      if (byte === (top === 'object' ? 0x7d : 0x5d)) {
        index++;
        stack.pop();
        continue;
      }
      if (byte !== 0x2c) return invalid(top === 'object' ? 'after object key:value pair' : 'after array element');
      index++;
      expect = top === 'object' ? 'key' : 'value';
      break;
    }
  }
}

/** Whether `bytes` nests objects and arrays deeper than Go's scanner allows (strings skipped). */
function nestsTooDeep(bytes: Uint8Array): boolean {
  let depth = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte === 0x22) {
      for (index++; index < bytes.length && bytes[index] !== 0x22; index++) if (bytes[index] === 0x5c) index++;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > MAX_NESTING_DEPTH) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

/**
 * Parses JSON text; on a syntax error throws an Error whose message is Go's
 * (`invalid character '}' looking for beginning of object key string`, `unexpected end of JSON input`).
 *
 * @example
 * ```ts
 * goJsonParse(Buffer.from('{"name":'));  // throws Error('unexpected end of JSON input')
 * ```
 */
export function goJsonParse(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(goSyntaxMessage(bytes));
  }
  if (nestsTooDeep(bytes)) throw new Error(goSyntaxMessage(bytes));
  return parsed;
}
