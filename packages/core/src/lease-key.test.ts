import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import { leaseKey } from './lease-key.js';

describe('leaseKey', () => {
  it.each([
    { name: 'IPv4 only', key: '10.5.34.0-24', subnet: '10.5.34.0/24', ipv6Subnet: undefined },
    { name: 'flannel subnet_test IPv4', key: '10.12.13.0-24', subnet: '10.12.13.0/24', ipv6Subnet: undefined },
    { name: 'dual stack, IPv6 in Go canonical form', key: '10.12.13.0-24&fd00:12:13::-56', subnet: '10.12.13.0/24', ipv6Subnet: 'fd00:12:13::/56' },
    { name: 'dual stack with inner zero run', key: '10.5.1.0-24&fc00:0:0:1::-64', subnet: '10.5.1.0/24', ipv6Subnet: 'fc00:0:0:1::/64' },
  ])('round-trips the $name key byte for byte', ({ key, subnet, ipv6Subnet }) => {
    const result = leaseKey.decode(key);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.subnet.toString()).toBe(subnet);
    expect(result.value.ipv6Subnet?.toString()).toBe(ipv6Subnet);
    expect(leaseKey.encode(result.value)).toBe(key);
  });

  it('encodes IpNets in Go canonical form', () => {
    expect(leaseKey.encode({ subnet: IpNet.parse('10.12.13.0/24'), ipv6Subnet: IpNet.parse('fd00:0012:0013:0::/56') })).toBe(
      '10.12.13.0-24&fd00:12:13::-56',
    );
  });

  it('refuses to encode subnets of the wrong family', () => {
    expect(() => leaseKey.encode({ subnet: IpNet.parse('fc00::/64') })).toThrow(RangeError);
    expect(() => leaseKey.encode({ subnet: IpNet.parse('10.0.0.0/24'), ipv6Subnet: IpNet.parse('10.1.0.0/24') })).toThrow(RangeError);
  });

  it('rejects a long run of digits from etcd at once, without regex backtracking, and keeps the message short', () => {
    // Before: flannel's unescaped dots made the pattern backtrack cubically (3 000 digits took ~20 s).
    const result = leaseKey.decode(`1.${'1'.repeat(100_000)}x`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('LEASE_INVALID');
    expect(result.error.message.length).toBeLessThan(200);
    for (const key of [`${'1'.repeat(10_000)}.1.1.1-24`, `10.0.0.0-${'1'.repeat(10_000)}`]) {
      const long = leaseKey.decode(key);
      expect(!long.ok && long.error.message.length).toBeLessThan(300);
    }
  });

  it('accepts a leading-zero prefix as flannel does (ParseUint)', () => {
    const result = leaseKey.decode('10.5.34.0-024');
    expect(result.ok && result.value.subnet.toString()).toBe('10.5.34.0/24');
  });

  // Invalid keys from flannel's pkg/subnet/subnet_test.go, then flannel-ts's own.
  it.each([
    ['10', 'must look like'],
    ['10.12.13.0', 'must look like'],
    ['10.12.13-24', 'must look like'],
    ['10.12.13.300-24', 'must be an IPv4 address'],
    ['10.12.13.0-24hi', 'must look like'],
    ['&2001::-56', 'must look like'],
    ['10.12.13.0-24&:12:13:-56', 'must be an IPv6 address'],
    ['10.12.13.0-24&20011::-56', 'must be an IPv6 address'],
    ['10.12.13.0-24&2001-56', 'must be an IPv6 address'],
    ['10.12.13.0-24&2001::', 'must look like'],
    ['10.12.13.0-24&2001::-56hi', 'must look like'],
    // flannel reads the IPv4 prefix with 5 bits and the IPv6 prefix with 7 bits.
    ['10.1.2.3-33', 'prefix length 33 must be 0..31'],
    ['10.1.2.3-32', 'prefix length 32 must be 0..31'],
    ['10.1.2.0-24&fd00::-128', 'prefix length 128 must be 0..127'],
    ['10.1.2.3-24', 'must be the network address of its /24 (10.1.2.0)'],
    ['10.1.2.0-24&fd00::1-64', 'must be the network address of its /64 (fd00::)'],
    ['010.1.2.0-24', 'must be an IPv4 address'],
    ['10.1.2.0-24&FD00::-64', 'must look like'],
    ['/coreos.com/network/subnets/10.1.2.0-24', 'must look like'],
    ['', 'must look like'],
  ])('rejects %j: %s', (key, rule) => {
    const result = leaseKey.decode(key);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('LEASE_INVALID');
    expect(result.error.message).toContain(JSON.stringify(key));
    expect(result.error.message).toContain(rule);
  });

  it.each(['10.5.34.0-24', '0.0.0.0-0', '10.0.0.0-8', '255.255.255.254-31', '10.244.123.128-25', '10.5.34.0-024', '10.128.0.0-9', '10.5.34.0-24&fd00::-64'])(
    'reads %j into the same network as IpNet.parse, value and size included',
    (key) => {
      const result = leaseKey.decode(key);
      if (!result.ok) throw result.error;
      const [v4] = key.split('&') as [string];
      const expected = IpNet.parse(v4.replace('-', '/'), 4);
      const { subnet } = result.value;
      expect(subnet).toEqual(expected);
      expect(Object.keys(subnet)).toEqual(Object.keys(expected));
      expect([subnet.value, subnet.size, subnet.toString(), subnet.lastAddress(), IpNet.compare(subnet, expected)]).toEqual([
        expected.value,
        expected.size,
        expected.toString(),
        expected.lastAddress(),
        0,
      ]);
      expect(subnet.equals(expected) && expected.contains(subnet) && subnet.firstHost() === expected.firstHost()).toBe(true);
      if (subnet.value + subnet.size < 1n << 32n) expect(subnet.next()).toEqual(expected.next());
    },
  );
});
