import ipNum from 'ip-num';
import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import { subnetsBetween } from './subnets-between.js';

describe('IpNet.parse', () => {
  it.each([
    ['10.5.34.7/24', '10.5.34.0/24'],
    ['10.3.0.0/16', '10.3.0.0/16'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.1.2.3/32', '10.1.2.3/32'],
    ['10.1.2.3/08', '10.0.0.0/8'],
    ['fd00:12:13::/56', 'fd00:12:13::/56'],
    ['FD00:0012:0013:0:0:0:0:5/56', 'fd00:12:13::/56'],
    ['fc00::/48', 'fc00::/48'],
    ['fc00:0:0:1::/64', 'fc00:0:0:1::/64'],
    ['1:0:0:1:0:0:0:1/128', '1:0:0:1::1/128'],
    ['1:0:1:1:1:1:1:1/128', '1:0:1:1:1:1:1:1/128'],
    ['1:0:0:0:1:0:0:0/128', '1::1:0:0:0/128'],
    ['::/0', '::/0'],
    ['::1/128', '::1/128'],
  ])('normalises %s to its network %s', (input, expected) => {
    expect(IpNet.parse(input).toString()).toBe(expected);
  });

  it.each([
    ['10.0.0.0'],
    ['10.0.0.0/33'],
    ['10.0.0/8'],
    ['010.0.0.0/8'],
    ['10.0.0.256/8'],
    [' 10.0.0.0/8'],
    ['10.0.0.0/ 8'],
    ['10.0.0.0/-1'],
    ['10.0.0.0/'],
    ['fd00::/129'],
    ['fe80::1%eth0/64'],
    ['1::2::3/64'],
    ['hello'],
    [''],
  ])('rejects %j with a RangeError naming it', (input) => {
    expect(() => IpNet.parse(input)).toThrow(RangeError);
    expect(() => IpNet.parse(input)).toThrow(JSON.stringify(input));
  });

  // Go's net.ParseCIDR reads the prefix length with dtoi (src/net/parse.go): any run of ASCII digits,
  // leading zeros included (`/024` is 24, `/0000024` too), nothing else (no sign, no blank, not empty),
  // at most the family's bits. flannel reads Network, SubnetMin/Max and subnet.env through it.
  it.each([
    ['10.1.0.0/024', '10.1.0.0/24'],
    ['10.1.0.0/0000024', '10.1.0.0/24'],
    ['10.1.0.0/00', '0.0.0.0/0'],
    ['10.1.0.0/032', '10.1.0.0/32'],
    ['fd00::/0064', 'fd00::/64'],
    ['fd00::/000128', 'fd00::/128'],
  ])('reads a prefix length with leading zeros as Go does: %s', (input, expected) => {
    expect(IpNet.parse(input).toString()).toBe(expected);
  });

  it.each(['10.1.0.0/033', '10.1.0.0/+24', '10.1.0.0/24 ', '10.1.0.0/0x18', 'fd00::/0129', '10.1.0.0/２４'])(
    'still rejects a prefix length Go rejects: %j',
    (input) => {
      expect(() => IpNet.parse(input)).toThrow(JSON.stringify(input));
    },
  );

  it('rejects the other family when one is asked for', () => {
    expect(() => IpNet.parse('10.0.0.0/8', 6)).toThrow('invalid IPv6 CIDR "10.0.0.0/8"');
    expect(() => IpNet.parse('fc00::/48', 4)).toThrow('invalid IPv4 CIDR "fc00::/48"');
    expect(IpNet.parse('fc00::/48', 6).family).toBe(6);
  });
});

describe('IpNet', () => {
  it('gives the first host after the network address', () => {
    expect(IpNet.parse('10.5.34.0/24').firstHost()).toBe('10.5.34.1');
    expect(IpNet.parse('fd00:12:13::/56').firstHost()).toBe('fd00:12:13::1');
  });

  it('builds a network from an address and a prefix length', () => {
    expect(IpNet.fromAddress('10.5.34.9', 24).toString()).toBe('10.5.34.0/24');
    expect(IpNet.fromAddress('fc00:0:0:1::5', 64).toString()).toBe('fc00:0:0:1::/64');
    expect(() => IpNet.fromAddress('10.0.0.1', 33)).toThrow(RangeError);
    expect(() => IpNet.fromAddress('nope', 8)).toThrow('"nope"');
  });

  it('tests containment of addresses and networks', () => {
    const net = IpNet.parse('10.3.0.0/16');
    expect(net.contains('10.3.255.255')).toBe(true);
    expect(net.contains('10.4.0.0')).toBe(false);
    expect(net.contains('fc00::1')).toBe(false);
    expect(net.contains(IpNet.parse('10.3.5.0/24'))).toBe(true);
    expect(net.contains(IpNet.parse('10.0.0.0/8'))).toBe(false);
    expect(net.contains(net)).toBe(true);
    expect(() => net.contains('10.3')).toThrow(RangeError);
  });

  it('detects overlaps in both directions', () => {
    const a = IpNet.parse('10.3.0.0/16');
    expect(a.overlaps(IpNet.parse('10.0.0.0/8'))).toBe(true);
    expect(a.overlaps(IpNet.parse('10.3.7.0/24'))).toBe(true);
    expect(a.overlaps(IpNet.parse('10.4.0.0/16'))).toBe(false);
    expect(a.overlaps(IpNet.parse('::/0'))).toBe(false);
  });

  it('compares equal by family, address and prefix length', () => {
    expect(IpNet.parse('10.3.1.7/24').equals(IpNet.parse('10.3.1.0/24'))).toBe(true);
    expect(IpNet.parse('10.3.1.0/24').equals(IpNet.parse('10.3.1.0/25'))).toBe(false);
    expect(IpNet.parse('10.3.1.0/24').equals(undefined)).toBe(false);
  });

  it('steps to the next network of the same size', () => {
    expect(IpNet.parse('10.5.34.0/24').next().toString()).toBe('10.5.35.0/24');
    expect(IpNet.parse('10.3.0.0/16').next().toString()).toBe('10.4.0.0/16');
    expect(IpNet.parse('fc00:0:0:ffff::/64').next().toString()).toBe('fc00:0:1::/64');
    expect(() => IpNet.parse('255.255.255.0/24').next()).toThrow(RangeError);
  });

  it('orders IPv4 before IPv6, then by address, then by prefix', () => {
    const sorted = ['fc00::/48', '10.3.0.0/24', '10.2.0.0/24', '10.2.0.0/16'].map((t) => IpNet.parse(t)).sort(IpNet.compare);
    expect(sorted.map(String)).toEqual(['10.2.0.0/16', '10.2.0.0/24', '10.3.0.0/24', 'fc00::/48']);
  });

  it('validates and canonicalises addresses', () => {
    expect(IpNet.isAddress('10.0.0.1')).toBe(true);
    expect(IpNet.isAddress('10.0.0.1', 4)).toBe(true);
    expect(IpNet.isAddress('10.0.0.1', 6)).toBe(false);
    expect(IpNet.isAddress('10.0.0.01')).toBe(false);
    expect(IpNet.isAddress('fe80::1%eth0')).toBe(false);
    expect(IpNet.canonicalAddress('FC00:0000:0000:0001:0000:0000:0000:0000')).toBe('fc00:0:0:1::');
    expect(IpNet.parseAddress('10.0.0.1')).toEqual({ family: 4, value: 167772161n });
    expect(() => IpNet.parseAddress('10.0.0.1', 6)).toThrow('invalid IPv6 address "10.0.0.1"');
  });

  it('writes an IPv4-mapped IPv6 address and network with a dotted quad, and reads it back', () => {
    // Go: netip.Addr.String() gives '::ffff:10.1.2.3' (net.IP.String() a bare '10.1.2.3'), never hex.
    expect(IpNet.canonicalAddress('::ffff:10.1.2.3', 6)).toBe('::ffff:10.1.2.3');
    expect(IpNet.canonicalAddress('::FFFF:a01:203')).toBe('::ffff:10.1.2.3');
    expect(IpNet.formatAddress({ family: 6, value: 0xffff0a010203n })).toBe('::ffff:10.1.2.3');
    const mapped = IpNet.parse('::ffff:10.1.2.3/120', 6);
    expect(mapped.toString()).toBe('::ffff:10.1.2.0/120');
    expect(mapped.firstHost()).toBe('::ffff:10.1.2.1');
    expect(mapped.lastAddress()).toBe('::ffff:10.1.2.255');
    expect(IpNet.parse(mapped.toString(), 6).equals(mapped)).toBe(true);
    expect(JSON.stringify({ n: mapped })).toBe('{"n":"::ffff:10.1.2.0/120"}');
    // Everything else keeps its hex form.
    expect(IpNet.parse('fd00:12:13::/56').toString()).toBe('fd00:12:13::/56');
    expect(IpNet.canonicalAddress('::a01:203')).toBe('::a01:203');
  });

  it('serialises to JSON as its CIDR string', () => {
    expect(JSON.stringify({ n: IpNet.parse('fd00:12:13::/56') })).toBe('{"n":"fd00:12:13::/56"}');
  });
});

describe('IpNet sizes and IPv4 text', () => {
  it('sizes every prefix length as ip-num does (2^(bits - prefix))', () => {
    for (let prefix = 0; prefix <= 32; prefix++) {
      expect(IpNet.parse(`0.0.0.0/${prefix}`).size).toBe(ipNum.IPv4Prefix.fromNumber(BigInt(prefix)).toRangeSize());
    }
    for (let prefix = 0; prefix <= 128; prefix++) {
      expect(IpNet.parse(`::/${prefix}`).size).toBe(ipNum.IPv6Prefix.fromNumber(BigInt(prefix)).toRangeSize());
    }
  });

  it('refuses to write an address value out of range', () => {
    expect(() => IpNet.formatAddress({ family: 4, value: 1n << 32n })).toThrow(RangeError);
    expect(() => IpNet.formatAddress({ family: 4, value: -1n })).toThrow(RangeError);
    expect(() => IpNet.formatAddress({ family: 6, value: 1n << 128n })).toThrow(RangeError);
    expect(IpNet.formatAddress({ family: 4, value: 0xffffffffn })).toBe('255.255.255.255');
  });
});

describe('subnetsBetween', () => {
  it('walks from min to max in subnet steps inclusively', () => {
    const all = [...subnetsBetween(IpNet.parse('10.3.1.0/24'), IpNet.parse('10.3.4.0/24'), 24)].map(String);
    expect(all).toEqual(['10.3.1.0/24', '10.3.2.0/24', '10.3.3.0/24', '10.3.4.0/24']);
  });

  it('is lazy over huge IPv6 ranges', () => {
    const it6 = subnetsBetween(IpNet.parse('fc00:0:0:1::/64'), IpNet.parse('fc00:ffff:ffff:ffff::/64'), 64);
    expect(it6.next().value?.toString()).toBe('fc00:0:0:1::/64');
    expect(it6.next().value?.toString()).toBe('fc00:0:0:2::/64');
  });

  it('yields nothing when max is before min and stops at the end of the address space', () => {
    expect([...subnetsBetween(IpNet.parse('10.3.4.0/24'), IpNet.parse('10.3.1.0/24'), 24)]).toEqual([]);
    expect([...subnetsBetween(IpNet.parse('255.255.254.0/24'), IpNet.parse('255.255.255.0/24'), 24)].map(String)).toEqual([
      '255.255.254.0/24',
      '255.255.255.0/24',
    ]);
  });
});
