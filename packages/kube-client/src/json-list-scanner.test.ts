import { describe, expect, it } from 'vitest';
import { JsonListScanner } from './json-list-scanner.js';

const LIST = JSON.stringify({
  kind: 'NodeList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '42', note: 'a "quoted" ] } [ {' },
  items: [
    { metadata: { name: 'a', annotations: { 'x/y': '{"VtepMAC":"aa"}' } }, spec: { podCIDR: '10.0.1.0/24' } },
    { metadata: { name: 'b\\"}' }, status: { images: [{ names: ['x', 'y'] }] } },
  ],
  trailer: { items: [{ not: 'an item' }] },
});

function scan(chunks: string[]): { items: unknown[]; metadata: Record<string, unknown> } {
  const items: unknown[] = [];
  const scanner = new JsonListScanner((text) => items.push(JSON.parse(text)));
  for (const chunk of chunks) scanner.write(chunk);
  return { items, metadata: scanner.end().metadata };
}

describe('JsonListScanner', () => {
  it('hands out each element of the top-level items array and keeps the top-level metadata', () => {
    const { items, metadata } = scan([LIST]);
    expect(items).toEqual(JSON.parse(LIST).items);
    expect(metadata).toEqual(JSON.parse(LIST).metadata);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const whole = scan([LIST]);
    for (let cut = 1; cut < LIST.length; cut++) {
      expect(scan([LIST.slice(0, cut), LIST.slice(cut)])).toEqual(whole);
    }
    expect(scan([...LIST])).toEqual(whole);
  });

  it('accepts an empty or missing items list', () => {
    expect(scan(['{"kind":"NodeList","metadata":{"resourceVersion":"1"},"items":[]}']).items).toEqual([]);
    expect(scan(['{"metadata":{"resourceVersion":"1"}}']).metadata).toEqual({ resourceVersion: '1' });
  });

  it('rejects a truncated response', () => {
    expect(() => scan([LIST.slice(0, -1)])).toThrow(/ended before/);
  });

  it('rejects a response that is not an object', () => {
    expect(() => scan(['[1,2]'])).toThrow(/not a JSON object/);
  });
});
