import { describe, expect, it } from 'vitest';
import { firstHostCidr, formatCidr, parseCidr } from './cidr.js';

const roundTrip = (text: string): string | undefined => {
  const cidr = parseCidr(text);
  return cidr === undefined ? undefined : formatCidr(cidr);
};

describe('parseCidr', () => {
  it.each([
    ['10.5.0.0/16', '10.5.0.0/16'],
    ['10.5.72.1/24', '10.5.72.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    ['2001:cafe:42:0::/56', '2001:cafe:42::/56'],
    ['2001:CAFE:42::1/64', '2001:cafe:42::/64'],
    ['fd00:0:0:1:0:0:0:1/128', 'fd00:0:0:1::1/128'],
    ['1:0:0:1:0:0:0:1/128', '1:0:0:1::1/128'],
    ['1:0:0:0:1:0:0:1/128', '1::1:0:0:1/128'],
    ['1:0:1:0:1:0:1:0/128', '1:0:1:0:1:0:1:0/128'],
    ['::/0', '::/0'],
    ['::1.2.3.4/128', '::102:304/128'],
    ['::ffff:10.0.0.1/128', '10.0.0.1/128'],
  ])('normalises %s to the network %s as Go prints it', (input, expected) => {
    expect(roundTrip(input)).toBe(expected);
  });

  it.each(['', '10.5.0.0', '10.5.0.0/33', '10.05.0.0/16', '10.5.0/16', '10.5.0.0/-1', '10.5.0.0/+16', '10.5.0.0/0x10', '10.5.0.0/033', '1::2::3/64', 'fe80::1%eth0/64', '::/129', ' 10.0.0.0/8', 'not-a-cidr', '1:2:3:4:5:6:7:8:9/64', '12345::/16'])(
    'rejects %j',
    (input) => {
      expect(parseCidr(input)).toBeUndefined();
    },
  );
});

describe('parseCidr prefix length', () => {
  // Go's net.ParseCIDR reads the prefix length with dtoi (src/net/parse.go): any run of ASCII digits,
  // leading zeros included, at most the family's bits. flanneld (ReadCIDRsFromSubnetFile) and the CNI
  // plugin both read subnet.env through it, so `/024` is 24 there and here, as in @flannel-ts/core.
  it.each([
    ['10.1.0.0/024', '10.1.0.0/24'],
    ['10.1.0.1/0000024', '10.1.0.0/24'],
    ['10.1.0.0/00', '0.0.0.0/0'],
    ['fd00::1/0064', 'fd00::/64'],
  ])('reads %s as %s', (input, expected) => {
    expect(roundTrip(input)).toBe(expected);
  });
});

describe('firstHostCidr', () => {
  it('adds one to the network address and keeps the length', () => {
    expect(formatCidr(firstHostCidr(parseCidr('10.5.72.0/24')!))).toBe('10.5.72.1/24');
    expect(formatCidr(firstHostCidr(parseCidr('2001:cafe:42::/64')!))).toBe('2001:cafe:42::1/64');
  });

  it('refuses to step past the end of the address space', () => {
    expect(() => firstHostCidr(parseCidr('255.255.255.255/32')!)).toThrow(RangeError);
  });
});
