import { describe, expect, it } from 'vitest';
import { findMember, parseJsonDocument } from './json-document.js';
import { scanObjectMemberSpans } from './object-member-spans.js';

describe('scanObjectMemberSpans', () => {
  it('gives each top-level member with its decoded key and value span, repeats included', () => {
    const text = ' { "a" : {"b":[1,"]}"]} , "\\u0061":2,"c\\"":"x\\\\","d":null,"e":-1.5e3 } ';
    const spans = scanObjectMemberSpans(text)!;
    expect(spans.map(({ key, start, end }) => [key, text.slice(start, end)])).toEqual([
      ['a', '{"b":[1,"]}"]}'],
      ['a', '2'],
      ['c"', '"x\\\\"'],
      ['d', 'null'],
      ['e', '-1.5e3'],
    ]);
    expect(scanObjectMemberSpans('{}')).toEqual([]);
  });

  it('finds the spans the strict parser finds', () => {
    const text = '{"PublicIP":"1.2.3.4","BackendData": { "VNI" : 1 } ,"x":[[],{}],"BackendData":"y"}';
    const root = parseJsonDocument(text);
    if (root.kind !== 'object') throw new Error('object expected');
    const spans = scanObjectMemberSpans(text)!;
    expect(spans.map(({ key, start, end }) => ({ key, start, end }))).toEqual(root.members.map(({ key, value }) => ({ key, start: value.start, end: value.end })));
    expect(findMember(root, 'BackendData')?.value.start).toBe(spans.at(-1)!.start);
  });

  it('gives up where the strict parser\'s nesting limit could apply (1000 open containers, root included)', () => {
    expect(scanObjectMemberSpans(`{"a":${'['.repeat(999)}${']'.repeat(999)}}`)).toHaveLength(1);
    expect(scanObjectMemberSpans(`{"a":${'['.repeat(1000)}${']'.repeat(1000)}}`)).toBeUndefined();
  });

  it('ends on text JSON.parse refuses', () => {
    for (const text of ['{', '{"a', '{"a":', '{"a":"x', '{"a":[', '{"a":1', '{"a":1,', '{"a\\', '{1}', '{"a":1 "b":2}']) {
      try {
        scanObjectMemberSpans(text);
      } catch (error) {
        expect(error).toBeInstanceOf(SyntaxError);
      }
    }
  });
});
