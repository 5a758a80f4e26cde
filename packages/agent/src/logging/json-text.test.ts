import { describe, expect, it } from 'vitest';
import { jsonMembers } from './json-text.js';

describe('jsonMembers', () => {
  it('writes what JSON.stringify writes for plain data', () => {
    const record = { s: 'a"b\n', n: 1.5, t: true, z: null, list: [1, 'x', { y: [] }], nested: { k: 'v' }, date: new Date(0), inf: Number.NaN };
    expect(`{${jsonMembers(record)}}`).toBe(JSON.stringify(record));
  });

  it('leaves out what JSON cannot hold, and writes null for it in arrays', () => {
    expect(jsonMembers({ u: undefined, f: () => 1, s: Symbol('x'), list: [undefined, () => 1] })).toBe('"list":[null,null]');
    expect(jsonMembers({})).toBe('');
  });

  it('writes BigInts as numbers', () => {
    expect(jsonMembers({ revision: 12345678901234567890n })).toBe('"revision":12345678901234567890');
  });

  it('writes circular references as "[Circular]" but repeats shared ones', () => {
    const node: Record<string, unknown> = { id: 1 };
    node.self = node;
    const shared = { a: 1 };
    const list: unknown[] = [shared, shared];
    list.push(list);
    expect(JSON.parse(`{${jsonMembers({ node, list })}}`)).toEqual({ node: { id: 1, self: '[Circular]' }, list: [{ a: 1 }, { a: 1 }, '[Circular]'] });
  });

  it('serializes errors at any depth, pino-style', () => {
    const parsed = JSON.parse(`{${jsonMembers({ result: { failures: [new RangeError('bad')] } })}}`) as { result: { failures: unknown[] } };
    expect(parsed.result.failures[0]).toMatchObject({ type: 'RangeError', message: 'bad' });
  });

  it('finds an error that refers back to itself through plain objects', () => {
    const error = new Error('loop');
    Object.assign(error, { context: { error } });
    const parsed = JSON.parse(`{${jsonMembers({ err: error })}}`) as { err: { context: unknown } };
    expect(parsed.err.context).toEqual({ error: '[Circular]' });
  });

  it('calls toJSON once, with the key', () => {
    const keys: string[] = [];
    const value = { toJSON: (key: string) => (keys.push(key), { toJSON: () => 'again' }) };
    expect(jsonMembers({ v: value })).toBe('"v":{}');
    expect(keys).toEqual(['v']);
  });
});
