import { describe, expect, it } from 'vitest';
import { goJsonParse } from './go-json-parse.js';

const message = (text: string): string => {
  try {
    goJsonParse(Buffer.from(text));
  } catch (error) {
    return (error as Error).message;
  }
  return 'parsed';
};

describe('goJsonParse', () => {
  it('parses valid JSON', () => {
    expect(goJsonParse(Buffer.from(' {"a":[1,true,null]} '))).toEqual({ a: [1, true, null] });
  });

  it("reports syntax errors with encoding/json's texts", () => {
    expect(message('')).toBe('unexpected end of JSON input');
    expect(message('{"name":')).toBe('unexpected end of JSON input');
    expect(message('x')).toBe("invalid character 'x' looking for beginning of value");
    expect(message('{,}')).toBe("invalid character ',' looking for beginning of object key string");
    expect(message('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(message('{"a":1 "b":2}')).toBe(`invalid character '"' after object key:value pair`);
    expect(message('[1 2]')).toBe("invalid character '2' after array element");
    expect(message('{} x')).toBe("invalid character 'x' after top-level value");
    expect(message('tru')).toBe('unexpected end of JSON input');
    expect(message('trx')).toBe("invalid character 'x' in literal true (expecting 'u')");
    expect(message('"a\nb"')).toBe("invalid character '\\n' in string literal");
    expect(message('"\\x"')).toBe("invalid character 'x' in string escape code");
    expect(message('-a')).toBe("invalid character 'a' in numeric literal");
    expect(message('1.x')).toBe("invalid character 'x' after decimal point in numeric literal");
    expect(message("{'a':1}")).toBe("invalid character '\\'' looking for beginning of object key string");
  });

  it("refuses nesting deeper than Go's 10000 levels with its text, wherever the syntax error lies", () => {
    const deep = (depth: number, tail = ''): string => `${'['.repeat(depth)}${tail}${']'.repeat(depth)}`;
    expect(goJsonParse(Buffer.from(deep(10_000)))).toBeInstanceOf(Array);
    expect(message(deep(10_001))).toBe("invalid character '[' exceeded max depth");
    expect(message(`{"a":${deep(10_001)}}`)).toBe("invalid character '[' exceeded max depth");
    expect(message(`${'{"a":'.repeat(10_001)}1${'}'.repeat(10_001)}`)).toBe("invalid character '{' exceeded max depth");
    // An earlier syntax error wins, and a string's brackets do not count.
    expect(message(`[x,${deep(20_000)}]`)).toBe("invalid character 'x' looking for beginning of value");
    expect(goJsonParse(Buffer.from(`["${'['.repeat(20_000)}"]`))).toEqual(['['.repeat(20_000)]);
    // Deep but broken input (JSON.parse refuses it) gets Go's message instead of a stack overflow.
    expect(message(`${'['.repeat(5_000)}x`)).toBe("invalid character 'x' looking for beginning of value");
    expect(message(`${'['.repeat(9_000)}`)).toBe('unexpected end of JSON input');
  });
});
