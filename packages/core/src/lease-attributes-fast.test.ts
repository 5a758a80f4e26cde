import { describe, expect, it } from 'vitest';
import type { DecodeResult } from './decode-result.js';
import type { LeaseAttributes } from './lease.js';
import { decodeLeaseAttributesFast } from './lease-attributes-fast.js';
import { decodeLeaseAttributesStrict, leaseAttributes } from './lease-attributes.js';
import { seededRandom } from './__fixtures__/seeded-random.js';

/** Everything a caller can observe of a result: value with its key order, or error code and message. */
function observable(result: DecodeResult<LeaseAttributes>): unknown {
  return result.ok
    ? { ok: true, keys: Object.keys(result.value), value: result.value }
    : { ok: false, code: result.error.code, message: result.error.message, cause: String(result.error.cause) };
}

/** decode (fast path first) and the strict path give the same observable result, and a fast answer is a strict success. */
function expectAgreement(text: string): void {
  const fast = decodeLeaseAttributesFast(text);
  const strict = decodeLeaseAttributesStrict(text);
  expect({ text, result: observable(leaseAttributes.decode(text)) }).toEqual({ text, result: observable(strict) });
  if (fast !== undefined) expect({ text, fast }).toEqual({ text, fast: strict.ok ? strict.value : 'strict failed' });
}

const FIELDS = ['PublicIP', 'PublicIPv6', 'BackendType', 'BackendData', 'BackendV6Data'];
const OTHER_KEYS = ['Other', '__proto__', 'constructor', 'toString', '', 'PublicIPX', 'publicip ', 'PUBLİCIP', 'ſublicIP', 'BackendDatum', 'x'.repeat(300)];
const VALUES = [
  '"10.0.0.1"',
  '"192.168.64.3"',
  '"0.0.0.0"',
  '"10.0.0.01"',
  '"1.2.3"',
  '"10\\u002e0.0.1"',
  '"10.0.0.1\\u0000"',
  '"fd00::1"',
  '"FD00:0:0:0:0:0:0:0001"',
  '"::ffff:1.2.3.4"',
  '"fe80::1%eth0"',
  '"vxlan"',
  '"host-gw"',
  '""',
  '"a\\u003cb\\u003e\\u0026"',
  '"\\ud800"',
  '"\\/"',
  'null',
  'true',
  'false',
  '0',
  '-0',
  '1e400',
  '1.5E-3',
  '[]',
  '[1,[2,{"a":null}]]',
  '{}',
  '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}',
  '{ "VNI" : 1 ,\n "VtepMAC" : "a\\"}b" }',
  '{"PublicIP":"1.1.1.1","BackendData":{"PublicIP":"2.2.2.2"}}',
];
const SPACE = ['', '', '', ' ', '\n', '\t', '\r\n  '];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function randomCase(next: () => number, key: string): string {
  const roll = next();
  if (roll < 0.5) return key;
  if (roll < 0.6) return key.toLowerCase();
  if (roll < 0.7) return key.toUpperCase();
  let out = '';
  for (const c of key) out += next() < 0.5 ? c.toLowerCase() : c.toUpperCase();
  return out;
}

/** A JSON string literal for `key`, sometimes with characters written as escapes. */
function keyLiteral(next: () => number, key: string): string {
  if (next() < 0.9) return JSON.stringify(key);
  let out = '"';
  for (const c of key) out += next() < 0.3 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1);
  return `${out}"`;
}

function generate(next: () => number): string {
  const count = Math.floor(next() * 7);
  const members: string[] = [];
  for (let index = 0; index < count; index++) {
    const key = next() < 0.8 ? randomCase(next, pick(next, FIELDS)) : pick(next, OTHER_KEYS);
    const s = (): string => pick(next, SPACE);
    members.push(`${s()}${keyLiteral(next, key)}${s()}:${s()}${pick(next, VALUES)}${s()}`);
  }
  let text = `${pick(next, SPACE)}{${members.join(',')}}${pick(next, SPACE)}`;
  const roll = next();
  // Some broken documents: truncated, a character changed, something after the object.
  if (roll < 0.05) text = text.slice(0, Math.floor(next() * text.length));
  else if (roll < 0.1) {
    const at = Math.floor(next() * text.length);
    text = text.slice(0, at) + pick(next, ['"', ',', '}', ']', '\u0000', '\\', ' ', 'x']) + text.slice(at + 1);
  } else if (roll < 0.12) text += pick(next, [' x', '{}', ',', '\u0000']);
  return text;
}

describe('leaseAttributes.decode fast path', () => {
  it('agrees with the strict path on generated documents (case variations, repeats, nulls, escapes, junk)', () => {
    const next = seededRandom(20_261_125);
    let fastAnswers = 0;
    for (let round = 0; round < 4_000; round++) {
      const text = generate(next);
      expectAgreement(text);
      if (decodeLeaseAttributesFast(text) !== undefined) fastAnswers++;
    }
    // The generator must exercise the fast path, not only the fallback.
    expect(fastAnswers).toBeGreaterThan(1_000);
  });

  it.each([
    ['the common vxlan lease', '{"PublicIP":"10.0.0.1","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}}'],
    ['a key differing in case after an exact repeat', '{"PublicIP":"1.1.1.1","publicip":"2.2.2.2","PublicIP":"3.3.3.3"}'],
    ['an exact repeat whose last value is null (BackendType keeps the earlier string)', '{"BackendType":"vxlan","BackendType":null}'],
    ['a PublicIP written with escapes', '{"PublicIP":"\\u0031\\u0030.0.0.1"}'],
    ['a key written with escapes', '{"Public\\u0049P":"10.0.0.9"}'],
    ['a __proto__ key', '{"__proto__":{"PublicIP":"6.6.6.6"},"PublicIP":"1.2.3.4"}'],
    ['a NUL escape in backend data', '{"PublicIP":"1.2.3.4","BackendData":"\\u0000"}'],
    ['a raw NUL', '{"PublicIP":"1.2.3.4\u0000"}'],
    ['a huge number as backend data', '{"PublicIP":"1.2.3.4","BackendData":1e400}'],
    ['a huge number as PublicIP', '{"PublicIP":1e400}'],
    ['HTML escapes in BackendType', '{"PublicIP":"1.2.3.4","BackendType":"\\u003cb\\u003e"}'],
    ['a lone surrogate escape', '{"PublicIP":"1.2.3.4","BackendType":"\\ud800"}'],
    ['an IPv6 with an embedded IPv4 part', '{"PublicIP":"1.2.3.4","PublicIPv6":"::FFFF:1.2.3.4"}'],
    ['a long key', `{"${'k'.repeat(100_000)}":1,"PublicIP":"1.2.3.4"}`],
    ['a top-level array', '[{"PublicIP":"1.2.3.4"}]'],
    ['a top-level string', '"{}"'],
    ['the empty object', '{}'],
    ['whitespace everywhere', ' \n{ "PublicIP" :\t"1.2.3.4" , "BackendData" : [ 1 , 2 ] }\r\n'],
  ])('agrees with the strict path on %s', (_name, text) => {
    expectAgreement(text);
  });

  it.each([999, 1000, 1001, 1002])('agrees with the strict path on backend data nested %i deep (the strict limit is 1000)', (depth) => {
    expectAgreement(`{"PublicIP":"1.2.3.4","BackendData":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expectAgreement(`{"PublicIP":"1.2.3.4","BackendData":${'['.repeat(depth)}1${']'.repeat(depth)}}`);
    expectAgreement(`{"PublicIP":"1.2.3.4","BackendData":${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}}`);
  });

  it('keeps BackendData verbatim, whitespace, escapes and all', () => {
    const raw = '{ "VNI" : 1,\n "VtepMAC":"a\\u003c\\"}" , "x":[{}] }';
    expect(decodeLeaseAttributesFast(`{"PublicIP":"1.2.3.4","BackendData":${raw} ,"BackendV6Data":null}`)).toEqual({
      publicIP: '1.2.3.4',
      backendData: raw,
      backendV6Data: 'null',
    });
  });

  it('leaves every invalid document to the strict path', () => {
    for (const text of ['', '{', '{"PublicIP":"1.2.3"}', '{"PublicIP":null}', '{"PublicIPv6":"1.2.3.4"}', '{"BackendType":7}', 'null', '{"a":1,}']) {
      expect(decodeLeaseAttributesFast(text)).toBeUndefined();
    }
  });

  it.each([12, 13, 200, 256, 257, 5000])('copies backend data of %i characters exactly, non-Latin-1 text included', (length) => {
    const inner = `😀${'é€ab'.repeat(length)}`.slice(0, length - 2);
    const raw = JSON.stringify(inner);
    expect(raw.length).toBe(length);
    const text = `{"PublicIP":"192.168.100.200","PublicIPv6":"fd00::1","BackendType":"vxlan","BackendData":${raw}}`;
    expect(decodeLeaseAttributesFast(text)).toEqual({ publicIP: '192.168.100.200', publicIPv6: 'fd00::1', backendType: 'vxlan', backendData: raw });
    expectAgreement(text);
  });
});
