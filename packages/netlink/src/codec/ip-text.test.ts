import { describe, expect, it } from 'vitest';
import { parseIp } from '../validate.js';
import { formatIp, parseIpBytes } from './ip-text.js';
import { bytesToIp, ipToBytes } from './values.js';

describe('ip-text', () => {
  it.each(['10.5.34.0', '0.0.0.0', 'fd00::1', '::', '::ffff:10.0.0.1', '1:0:0:1::1'])(
    'the codec and the validators read and write %s alike',
    (text) => {
      const bytes = ipToBytes(text);
      expect(bytes).toEqual(parseIp(text).bytes);
      expect(bytesToIp(bytes)).toBe(parseIp(text).address);
    },
  );

  it.each(['010.0.0.1', 'fe80::1%eth0', '1.2.3.4.5', '1::2::3', '::1.2.3.4:1'])('the codec refuses %j as the validators do', (text) => {
    expect(parseIpBytes(text)).toBeUndefined();
    expect(() => ipToBytes(text)).toThrow(RangeError);
    expect(() => parseIp(text)).toThrow();
  });

  it('formats an IPv4-mapped address with its dotted tail', () => {
    expect(formatIp(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]))).toBe('::ffff:10.0.0.1');
  });

  it('refuses a byte length other than 4 or 16 naming it', () => {
    expect(() => bytesToIp(new Uint8Array(5))).toThrow('IP address of 5 bytes is invalid: must be 4 or 16 bytes');
  });
});
