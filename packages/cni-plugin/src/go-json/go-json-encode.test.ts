import { describe, expect, it } from 'vitest';
import { goJsonEncode, goJsonNumber, goJsonString, GoStruct, type GoJsonValue } from './go-json-encode.js';

describe('goJsonEncode', () => {
  it('sorts map keys bytewise at every level, as json.Marshal of a map', () => {
    expect(goJsonEncode({ type: 'bridge', ipam: { type: 'host-local', ranges: [] }, Name: 'x', ipMasq: false }, { sortKeys: true })).toBe(
      '{"Name":"x","ipMasq":false,"ipam":{"ranges":[],"type":"host-local"},"type":"bridge"}',
    );
  });

  it('keeps a struct inside a map in field order and drops its undefined (omitempty) fields', () => {
    const route = new GoStruct({ dst: '10.0.0.0/8', gw: undefined, mtu: 1400, advmss: 1360 });
    expect(goJsonEncode({ routes: [route] }, { sortKeys: true })).toBe('{"routes":[{"dst":"10.0.0.0/8","mtu":1400,"advmss":1360}]}');
  });

  it('escapes <, >, &, U+2028 and U+2029 as Go does (HTML-safe)', () => {
    expect(goJsonString('<a&b>\u2028\u2029')).toBe('"\\u003ca\\u0026b\\u003e\\u2028\\u2029"');
  });

  it('escapes control characters with Go 1.22+ short forms and \\u00xx otherwise', () => {
    expect(goJsonString('\n\r\t\b\f\u0001\u001f"\\')).toBe('"\\n\\r\\t\\b\\f\\u0001\\u001f\\"\\\\"');
  });

  it('writes a lone surrogate as U+FFFD (what Go decoded it to) and keeps a surrogate pair', () => {
    expect(goJsonString('\ud800x\u{1f600}')).toBe('"\ufffdx\u{1f600}"');
  });

  it('formats numbers as Go float64: exponent below 1e-6 and from 1e21, -0 kept', () => {
    expect([1472, 0.5, 1e21, 1e20, 1e-7, 0.000001, -0, 1.5e300].map(goJsonNumber)).toEqual(['1472', '0.5', '1e+21', '100000000000000000000', '1e-7', '0.000001', '-0', '1.5e+300']);
  });

  it('indents like json.MarshalIndent, keeping empty objects and arrays on one line', () => {
    expect(goJsonEncode({ a: [1, 2], b: {}, c: [] }, { sortKeys: false, indent: '    ' })).toBe('{\n    "a": [\n        1,\n        2\n    ],\n    "b": {},\n    "c": []\n}');
  });

  it('sorts keys by UTF-8 bytes, not UTF-16 units', () => {
    expect(goJsonEncode({ '\u{10000}': 1, '\uffff': 2 }, { sortKeys: true })).toBe('{"\uffff":2,"\u{10000}":1}');
  });

  it('encodes the 10,000 levels Go decodes without overflowing the call stack, compact and indented', () => {
    let value: GoJsonValue = {};
    let expected = '{}';
    for (let level = 0; level < 10_000; level++) {
      value = level % 2 === 0 ? [value, 1] : { b: value, a: null };
      expected = level % 2 === 0 ? `[${expected},1]` : `{"a":null,"b":${expected}}`;
    }
    expect(goJsonEncode(value, { sortKeys: true }) === expected).toBe(true);
    expect(goJsonEncode([[1, { x: [] }], 'y'], { sortKeys: false, indent: '  ' })).toBe('[\n  [\n    1,\n    {\n      "x": []\n    }\n  ],\n  "y"\n]');
  });
});
