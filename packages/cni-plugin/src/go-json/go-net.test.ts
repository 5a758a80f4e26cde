import { describe, expect, it } from 'vitest';
import { formatGoIp, formatGoIpNet, parseGoCidr, parseGoIp } from './go-net.js';

describe('parseGoCidr', () => {
  it('gives the network of an address with a prefix (net.ParseCIDR)', () => {
    expect(formatGoIpNet(parseGoCidr('10.1.17.1/24').network)).toBe('10.1.17.0/24');
    expect(formatGoIpNet(parseGoCidr('fc00::1/64').network)).toBe('fc00::/64');
  });

  it('keeps the address as written (types.ParseCIDR)', () => {
    expect(formatGoIpNet(parseGoCidr('10.1.17.1/24').address)).toBe('10.1.17.1/24');
  });

  it('rejects what Go rejects, with Go\'s text', () => {
    for (const bad of ['', '10.1.0.0', '10.1.0.0/33', '010.1.0.0/16', '10.1.0/16', 'fe80::1%eth0/64', '10.1.0.0/-1', '10.1.0.0/+8', '::/129', 'x/8']) {
      expect(() => parseGoCidr(bad), bad).toThrow(`invalid CIDR address: ${bad}`);
    }
  });

  it('prints an IPv4-mapped IPv6 network as IPv4 with the prefix shortened by 96', () => {
    expect(formatGoIpNet(parseGoCidr('::ffff:10.0.0.0/104').network)).toBe('10.0.0.0/8');
  });
});

describe('formatGoIp', () => {
  it('compresses the longest run of two or more zero groups, the first on a tie', () => {
    expect(formatGoIp(parseGoIp('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatGoIp(parseGoIp('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatGoIp(parseGoIp('::')!)).toBe('::');
    expect(formatGoIp(parseGoIp('FC00:0000::0001')!)).toBe('fc00::1');
  });

  it('parses an embedded IPv4 tail', () => {
    expect(formatGoIp(parseGoIp('64:ff9b::10.0.0.1')!)).toBe('64:ff9b::a00:1');
  });
});
