import ipNum from 'ip-num';
import { describe, expect, it } from 'vitest';
import { formatIPv4, parseIPv4 } from './ipv4-text.js';
import { seededRandom } from './__fixtures__/seeded-random.js';

const { IPv4, Validator } = ipNum;

/** What ip-net.ts accepted before it had its own parser: ip-num's validator behind a dotted-quad pattern. */
function reference(text: string): number {
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(text) || !Validator.isValidIPv4String(text)[0]) return -1;
  return Number(IPv4.fromDecimalDottedString(text).getValue());
}

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.0.1', 0x0a000001],
    ['255.255.255.255', 0xffffffff],
    ['192.168.64.3', 0xc0a84003],
  ])('reads %s', (text, value) => {
    expect(parseIPv4(text)).toBe(value);
    expect(formatIPv4(value)).toBe(text);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.00',
    '1.2.3.256',
    '1.2.3.1000',
    '1..2.3',
    '.1.2.3',
    '1.2.3.',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '1.2.3.4%eth0',
    '１.2.3.4',
    '1.2.3.4/24',
    '1.2.3.-4',
    '1.2.3.+4',
  ])('refuses %j', (text) => {
    expect(parseIPv4(text)).toBe(-1);
  });

  it('reads a range of a longer text as that substring', () => {
    expect(parseIPv4('10.5.34.0-24', 0, 9)).toBe(parseIPv4('10.5.34.0'));
    expect(parseIPv4('x10.0.0.1y', 1, 9)).toBe(0x0a000001);
    expect(parseIPv4('10.0.0.1-24', 0, 10)).toBe(-1);
    expect(parseIPv4('10.0.0.10', 0, 8)).toBe(0x0a000001);
  });

  it('accepts exactly what ip-num accepts, on generated dotted text', () => {
    const next = seededRandom(20_261_122);
    const pieces = ['0', '00', '1', '01', '9', '10', '99', '100', '199', '200', '249', '250', '255', '256', '300', '999', '1000', '', ' ', 'a', '-1'];
    for (let round = 0; round < 5_000; round++) {
      const count = 3 + Math.floor(next() * 3);
      const text = Array.from({ length: count }, () => pieces[Math.floor(next() * pieces.length)]!).join('.');
      expect([text, parseIPv4(text)]).toEqual([text, reference(text)]);
    }
    for (let round = 0; round < 5_000; round++) {
      const value = Math.floor(next() * 2 ** 32);
      const text = formatIPv4(value);
      expect(text).toBe(IPv4.fromNumber(BigInt(value)).toString());
      expect(parseIPv4(text)).toBe(value);
    }
  });
});
