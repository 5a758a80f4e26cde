import { describe, expect, it } from 'vitest';
import { ipv4At, ipv4Overlaps, ipv6At, ipv6Groups, parseIpv4Cidr, parseIpv6Prefix64 } from './ip-math.js';

describe('ip-math', () => {
  it('lays host i of 192.168.77.0/24 at .(10+i)', () => {
    expect(ipv4At(parseIpv4Cidr('192.168.77.0/24'), 11)).toBe('192.168.77.11');
  });

  it('masks a cidr down to its network', () => {
    expect(ipv4At(parseIpv4Cidr('10.1.2.200/16'), 1)).toBe('10.1.0.1');
  });

  it('rejects an address outside the prefix, naming the rule', () => {
    expect(() => ipv4At(parseIpv4Cidr('10.0.0.0/28'), 20)).toThrow(/does not fit/);
    expect(() => parseIpv4Cidr('10.0.0.0/30', 'underlay')).toThrow('underlay 10.0.0.0/30 is invalid: must be an IPv4 prefix a.b.c.d/n with 8 <= n <= 28');
  });

  it('detects overlapping prefixes in either direction', () => {
    const wide = parseIpv4Cidr('169.254.0.0/16');
    const narrow = { network: parseIpv4Cidr('169.254.7.0/24').network + 4, prefixLength: 30 };
    expect(ipv4Overlaps(wide, narrow)).toBe(true);
    expect(ipv4Overlaps(narrow, wide)).toBe(true);
    expect(ipv4Overlaps(parseIpv4Cidr('10.0.0.0/24'), parseIpv4Cidr('10.0.1.0/24'))).toBe(false);
  });

  it('writes IPv6 host addresses with the IPv4 host number as the last group', () => {
    const prefix = parseIpv6Prefix64('fd77::/64');
    expect(ipv6At(prefix, 11)).toBe('fd77::11');
    expect(ipv6At(parseIpv6Prefix64('2001:db8:1:2::/64'), 1)).toBe('2001:db8:1:2::1');
  });

  it('expands compressed IPv6 addresses', () => {
    expect(ipv6Groups('fd77::1')).toEqual([0xfd77, 0, 0, 0, 0, 0, 0, 1]);
    expect(() => parseIpv6Prefix64('fd77::/48')).toThrow(/length 64/);
  });
});
