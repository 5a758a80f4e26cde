import { describe, expect, it } from 'vitest';
import { prefixRangeEnd } from './prefix-range-end.js';

describe('prefixRangeEnd', () => {
  it('increments the last byte', () => {
    expect(prefixRangeEnd(Buffer.from('/coreos.com/network/subnets/')).toString()).toBe('/coreos.com/network/subnets0');
  });
  it('drops trailing 0xff bytes and increments the one before', () => {
    expect([...prefixRangeEnd(Buffer.from([0x61, 0xff, 0xff]))]).toEqual([0x62]);
  });
  it('selects every key for an empty or all-0xff prefix', () => {
    expect([...prefixRangeEnd(Buffer.alloc(0))]).toEqual([0]);
    expect([...prefixRangeEnd(Buffer.from([0xff]))]).toEqual([0]);
  });
  it('does not modify its argument', () => {
    const prefix = Buffer.from('ab');
    prefixRangeEnd(prefix);
    expect(prefix.toString()).toBe('ab');
  });
});
