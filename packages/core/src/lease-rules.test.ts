import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease } from './lease.js';
import { checkPublicAddress, checkRemoteLease, leaseRulesFor } from './lease-rules.js';
import { parseNetworkConfig } from './parse-network-config.js';
import type { LeaseRules } from './lease-rules.js';

const lease = (subnet: string, publicIP = '192.168.1.9', ipv6?: { subnet: string; publicIPv6?: string }): Lease => ({
  enableIPv4: true,
  enableIPv6: ipv6 !== undefined,
  subnet: IpNet.parse(subnet),
  ...(ipv6 ? { ipv6Subnet: IpNet.parse(ipv6.subnet) } : {}),
  attributes: { publicIP, ...(ipv6?.publicIPv6 ? { publicIPv6: ipv6.publicIPv6 } : {}), backendType: 'vxlan' },
});
const OWN = lease('10.5.8.0/24', '192.168.1.1', { subnet: 'fd00:5:8::/64', publicIPv6: 'fd99::1' });
const RULES: LeaseRules = {
  network: IpNet.parse('10.5.0.0/16'),
  subnetLen: 24,
  ipv6Network: IpNet.parse('fd00:5::/32'),
  ipv6SubnetLen: 64,
  ownLease: OWN,
};

describe('checkRemoteLease', () => {
  it.each([
    ['10.5.30.0/25', 'subnet 10.5.30.0/25 is invalid: its prefix length must be SubnetLen 24'],
    ['10.5.8.0/23', 'subnet 10.5.8.0/23 is invalid: its prefix length must be SubnetLen 24'],
    ['10.5.8.128/25', 'subnet 10.5.8.128/25 is invalid: its prefix length must be SubnetLen 24'],
    ['10.5.0.0/16', 'subnet 10.5.0.0/16 is invalid: its prefix length must be SubnetLen 24'],
    ['10.6.1.0/24', 'subnet 10.6.1.0/24 is invalid: must lie inside Network 10.5.0.0/16'],
  ])('rejects subnet %s (the hijacks of issue 9)', (subnet, reason) => {
    expect(checkRemoteLease(lease(subnet), RULES)).toBe(reason);
  });

  it('rejects a subnet overlapping the own subnet when SubnetLen is not known', () => {
    expect(checkRemoteLease(lease('10.5.8.128/25'), { ownLease: OWN })).toBe("subnet 10.5.8.128/25 is invalid: overlaps this node's subnet 10.5.8.0/24");
  });

  it('accepts a well-formed peer lease', () => {
    expect(checkRemoteLease(lease('10.5.30.0/24', '192.168.1.2', { subnet: 'fd00:5:30::/64', publicIPv6: 'fd99::2' }), RULES)).toBeUndefined();
  });

  it('checks the IPv6 subnet and PublicIPv6', () => {
    expect(checkRemoteLease(lease('10.5.30.0/24', '192.168.1.2', { subnet: 'fd00:5:8::/64' }), RULES)).toBe(
      "IPv6 subnet fd00:5:8::/64 is invalid: overlaps this node's subnet fd00:5:8::/64",
    );
    expect(checkRemoteLease(lease('10.5.30.0/24', '192.168.1.2', { subnet: 'fd00:5:30::/56' }), RULES)).toMatch(/IPv6SubnetLen 64/);
    expect(checkRemoteLease(lease('10.5.30.0/24', '192.168.1.2', { subnet: 'fd00:5:30::/64', publicIPv6: 'fd99::1' }), RULES)).toBe(
      `PublicIPv6 "fd99::1" is invalid: it is this node's own PublicIPv6`,
    );
  });

  it.each([
    ['127.0.0.1', 'must not be a loopback address'],
    ['224.0.0.1', 'must not be a multicast address'],
    ['255.255.255.255', 'must not be the broadcast address'],
    ['0.0.0.0', 'must not be the unspecified address'],
    ['240.0.0.1', 'must not be a reserved address'],
    ['192.168.1.1', "it is this node's own PublicIP"],
    ['nonsense', 'must be an IPv4 address'],
  ])('rejects PublicIP %s', (publicIP, rule) => {
    expect(checkRemoteLease(lease('10.5.30.0/24', publicIP), RULES)).toBe(`PublicIP ${JSON.stringify(publicIP)} is invalid: ${rule}`);
  });
});

describe('checkPublicAddress', () => {
  it.each([
    ['::', 'the unspecified address'],
    ['::1', 'a loopback address'],
    ['ff02::1', 'a multicast address'],
    ['fe80::1', 'a link-local address'],
    ['::ffff:10.0.0.1', 'an IPv4-mapped address'],
  ])('rejects IPv6 %s', (address, kind) => {
    expect(checkPublicAddress('PublicIPv6', address, 6)).toBe(`PublicIPv6 ${JSON.stringify(address)} is invalid: must not be ${kind}`);
  });

  it('accepts unicast addresses, IPv4 link-local included (reachable on a shared segment)', () => {
    expect(checkPublicAddress('PublicIP', '169.254.3.4', 4)).toBeUndefined();
    expect(checkPublicAddress('PublicIP', '203.0.113.9', 4)).toBeUndefined();
    expect(checkPublicAddress('PublicIPv6', '2001:db8::9', 6)).toBeUndefined();
  });
});

describe('leaseRulesFor', () => {
  it('expects the own subnet\'s prefix length (a Kubernetes podCIDR of /26 with the default SubnetLen 24)', () => {
    const config = parseNetworkConfig('{"Network":"10.5.0.0/16"}').config;
    const own = lease('10.5.8.64/26', '192.168.1.1');
    const rules = leaseRulesFor(config, own);
    expect(checkRemoteLease(lease('10.5.9.0/26'), rules)).toBeUndefined();
    expect(checkRemoteLease(lease('10.5.9.0/24'), rules)).toBe('subnet 10.5.9.0/24 is invalid: its prefix length must be SubnetLen 26');
    expect(leaseRulesFor(config, undefined).subnetLen).toBe(24);
  });
});
