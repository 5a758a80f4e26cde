import { describe, expect, it } from 'vitest';
import { findMember, JsonSyntaxError, parseJsonDocument, toPlainValue } from './json-document.js';
import { goCompactJson, goJsonString } from './go-json.js';

describe('parseJsonDocument', () => {
  it('parses what JSON.parse parses, keeping spans', () => {
    const text = ' {"a": [1, -2.5e3, true, null], "b": {"c": "d\\n\\u00e9"}} ';
    const node = parseJsonDocument(text);
    expect(toPlainValue(node)).toEqual(JSON.parse(text));
    expect(node.kind === 'object' && text.slice(node.members[1]!.value.start, node.members[1]!.value.end)).toBe('{"c": "d\\n\\u00e9"}');
  });

  it.each([
    ['{"a":1,}', 1, 8, 'looking for beginning of object key string'],
    ['{\n  "a": 01\n}', 2, 9, 'after object key:value pair'],
    ['[1 2]', 1, 4, 'after array element'],
    ['{"a":1} x', 1, 9, 'after top-level value'],
    ['', 1, 1, 'unexpected end of JSON input'],
    ['"\u0001"', 1, 2, 'in string literal'],
    ["{'a':1}", 1, 2, 'looking for beginning of object key string'],
  ])('reports %j by line and column', (text, line, column, reason) => {
    try {
      parseJsonDocument(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      const syntax = error as JsonSyntaxError;
      expect([syntax.line, syntax.column]).toEqual([line, column]);
      expect(syntax.message).toContain(reason);
    }
  });

  it.each([
    ['\ufeff{"Network":"10.0.0.0/8"}', 'invalid character "\\uFEFF" (a byte order mark: save the file as UTF-8 without BOM) looking for beginning of value'],
    ['{"a":1}\u200b', 'invalid character "\\u200B" after top-level value'],
    ['{\u00a0"a":1}', 'invalid character "\\u00A0" looking for beginning of object key string'],
    ['{"a":1}\u2028', 'invalid character "\\u2028" after top-level value'],
    ['x', 'invalid character "x" looking for beginning of value'],
  ])('shows an invisible offending character by code point in %j', (text, reason) => {
    expect(() => parseJsonDocument(text)).toThrow(reason);
  });

  it('finds members as Go does: case-insensitive, last match wins', () => {
    const node = parseJsonDocument('{"Network":"a","network":"b","NETWORKX":"c"}');
    if (node.kind !== 'object') throw new Error('object expected');
    expect(findMember(node, 'Network')?.value).toMatchObject({ value: 'b' });
    expect(findMember(node, 'Missing')).toBeUndefined();
  });
});

describe('Go JSON writing', () => {
  it('escapes strings as json.Marshal does', () => {
    expect(goJsonString('a"\\\b\f\n\r\t\u0001<>&\u2028\u2029\u007f\ud83d\ude00\ud800')).toBe(
      '"a\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u003c\\u003e\\u0026\\u2028\\u2029\u007f\ud83d\ude00\\ufffd"',
    );
  });

  it('compacts raw JSON keeping key order, numbers and escapes', () => {
    expect(goCompactJson(' { "b" : 1.50 , "a" : [ "x y" , "\\"<" ] } ')).toBe('{"b":1.50,"a":["x y","\\"\\u003c"]}');
  });
});
