// JSON.parse with Go's syntax error texts (encoding/json `scanner.go`), because flannel reports a bad
// network config as `error unmarshall network config: invalid character 'x' looking for beginning of value`.
// Go checks the whole input before decoding, so a syntax error anywhere wins over a type error.

function quoteChar(byte: number): string {
  if (byte === 0x27) return "'\\''";
  if (byte === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  const text = named[byte] ?? (byte < 0x20 || byte === 0x7f ? `\\x${byte.toString(16).padStart(2, '0')}` : byte >= 0x80 && byte < 0xa0 ? `\\u00${byte.toString(16)}` : String.fromCharCode(byte));
  return `'${text}'`;
}

/** Go's message for the first syntax error in `bytes` (which JSON.parse rejected). */
function goSyntaxMessage(bytes: Uint8Array): string {
  let index = 0;
  const end = 'unexpected end of JSON input';
  const invalid = (context: string): string => `invalid character ${quoteChar(bytes[index]!)} ${context}`;
  const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
  const isDigit = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x30 && byte <= 0x39;
  const skip = (): void => {
    while (isSpace(bytes[index])) index++;
  };
  // Each step returns an error message, or undefined once the value is complete.
  const value = (): string | undefined => {
    skip();
    const byte = bytes[index];
    if (byte === undefined) return end;
    if (byte === 0x7b) return object();
    if (byte === 0x5b) return array();
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
  const object = (): string | undefined => {
    index++;
    skip();
    if (bytes[index] === 0x7d) {
      index++;
      return undefined;
    }
    for (;;) {
      skip();
      if (bytes[index] === undefined) return end;
      if (bytes[index] !== 0x22) return invalid('looking for beginning of object key string');
      const key = string();
      if (key !== undefined) return key;
      skip();
      if (bytes[index] === undefined) return end;
      if (bytes[index] !== 0x3a) return invalid('after object key');
      index++;
      const member = value();
      if (member !== undefined) return member;
      skip();
      if (bytes[index] === undefined) return end;
      if (bytes[index] === 0x7d) {
        index++;
        return undefined;
      }
      if (bytes[index] !== 0x2c) return invalid('after object key:value pair');
      index++;
    }
  };
  const array = (): string | undefined => {
    index++;
    skip();
    if (bytes[index] === 0x5d) {
      index++;
      return undefined;
    }
    for (;;) {
      const item = value();
      if (item !== undefined) return item;
      skip();
      if (bytes[index] === undefined) return end;
      if (bytes[index] === 0x5d) {
        index++;
        return undefined;
      }
      if (bytes[index] !== 0x2c) return invalid('after array element');
      index++;
    }
  };
  const first = value();
  if (first !== undefined) return first;
  skip();
  return bytes[index] === undefined ? 'invalid JSON' : invalid('after top-level value');
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
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(goSyntaxMessage(bytes));
  }
}
