import { describe, expect, it } from 'vitest';
import { seededRandom } from '../__fixtures__/seeded-random.js';
import { MAX_OPEN_CONTAINERS, skipJsonSpace, skipJsonString, skipJsonValue } from './skip-json-value.js';

/** Whether JSON.parse accepts `text` (which has no surrounding whitespace). */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const TOKENS = ['{', '}', '[', ']', '"', '"a"', '"\\u00e9"', '"\\x"', '"\\u12"', '\\', ',', ':', ' ', '\n', '\t', '\u000b', '0', '1', '-', '.', 'e', 'E', '+', '12', '0.5', '1e5', '-0', '01', 'true', 'tru', 'false', 'null', 'nul', '\u0000', '\u2028', '\ud800', 'x'];

describe('skipJsonValue', () => {
  it('spans exactly the documents JSON.parse accepts, on generated token soup', () => {
    const next = seededRandom(20_261_122);
    let accepted = 0;
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      const count = 1 + Math.floor(next() * 10);
      for (let i = 0; i < count; i++) text += TOKENS[Math.floor(next() * TOKENS.length)];
      const start = skipJsonSpace(text, 0);
      let end = skipJsonValue(text, start, 0);
      if (end >= 0) end = skipJsonSpace(text, end);
      expect({ text, spans: end === text.length }).toEqual({ text, spans: parses(text) });
      if (end === text.length) accepted++;
    }
    expect(accepted).toBeGreaterThan(500);
  });

  it.each([
    ['{"a": [1, {"b": null}] } x', 24],
    ['[]', 2],
    ['{ }', 3],
    ['-0.5e+10,', 8],
    ['"a\\"b"', 6],
    ['"\\ud800"', 8],
    ['[1,]', -1],
    ['{"a"}', -1],
    ['{"a":1,}', -1],
    ['01', 1],
    ['1.', -1],
    ['-', -1],
    ['1e', -1],
    ['"\u0001"', -1],
    ['"abc', -1],
    ['[1', -1],
    ['nul', -1],
    ['', -1],
  ])('skips %j to %i', (text, end) => {
    expect(skipJsonValue(text, 0, 0)).toBe(end);
  });

  it('gives up past the nesting limit, counting the containers around the value', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(skipJsonValue(nested(MAX_OPEN_CONTAINERS - 1), 0, 1)).toBe(2 * (MAX_OPEN_CONTAINERS - 1));
    expect(skipJsonValue(nested(MAX_OPEN_CONTAINERS), 0, 1)).toBe(-1);
    expect(skipJsonValue(nested(MAX_OPEN_CONTAINERS), 0, 0)).toBe(2 * MAX_OPEN_CONTAINERS);
  });
});

describe('skipJsonString', () => {
  it('accepts the JSON escapes only', () => {
    expect(skipJsonString('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00aF"', 0)).toBe(24);
    for (const bad of ['"\\a"', '"\\u00g0"', '"\\', 'x"']) expect(skipJsonString(bad, 0)).toBe(-1);
  });
});
