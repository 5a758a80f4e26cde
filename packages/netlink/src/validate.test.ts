import { describe, expect, it } from 'vitest';
import { NetlinkInvalidArgumentError } from './errors.js';
import { canonicalIpv4NetworkPrefix } from './validate-ip.js';
import type { Address, FdbEntry, LinkChanges, LinkSpec, Neighbour, Route } from './types.js';
import {
  cidrContains,
  formatIp,
  formatMac,
  normalizeMac,
  parseCidr,
  parseIp,
  parseMac,
  validateAddress,
  validateFdbEntry,
  validateLinkChanges,
  validateLinkName,
  validateLinkRef,
  validateLinkSpec,
  validateNeighbour,
  validateRoute,
} from './validate.js';

/** Runs `fn`, expects a NetlinkInvalidArgumentError, returns its message. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(NetlinkInvalidArgumentError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a NetlinkInvalidArgumentError, got none');
}

describe('parseIp', () => {
  it.each([
    ['10.5.34.0', 4, '10.5.34.0'],
    ['0.0.0.0', 4, '0.0.0.0'],
    ['255.255.255.255', 4, '255.255.255.255'],
    ['FD00:0:0::1', 6, 'fd00::1'],
    ['::', 6, '::'],
    ['::1', 6, '::1'],
    ['2001:db8:0:0:1:0:0:1', 6, '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 6, '2001:db8::1'],
    ['1:0:1:0:1:0:1:0', 6, '1:0:1:0:1:0:1:0'],
    ['1:2:3:4:5:6:7::', 6, '1:2:3:4:5:6:7:0'],
    ['::ffff:10.0.0.1', 6, '::ffff:10.0.0.1'],
    ['64:ff9b::192.0.2.33', 6, '64:ff9b::c000:221'],
  ] as const)('reads %s as IPv%i %s', (text, family, canonical) => {
    const ip = parseIp(text);
    expect(ip.family).toBe(family);
    expect(ip.address).toBe(canonical);
    expect(formatIp(ip.bytes)).toBe(canonical);
  });

  it.each(['', '10.5.34', '10.5.34.256', '010.0.0.1', '1.2.3.4.5', 'a.b.c.d', '1::2::3', '1:2:3:4:5:6:7:8:9',
    'fe80::1%eth0', '12345::', ':::', 'host', ' 10.0.0.1'])('refuses %j', (text) => {
    expect(refusal(() => parseIp(text, 'gateway'))).toMatch(/^gateway ".*" is invalid: must be an IPv4 address/);
  });
});

describe('parseCidr', () => {
  it('reads address, prefix, network and host bits', () => {
    expect(parseCidr('10.5.34.1/24')).toMatchObject({
      family: 4, address: '10.5.34.1', prefixLength: 24, cidr: '10.5.34.1/24', network: '10.5.34.0', hostBitsSet: true,
    });
    expect(parseCidr('FD00::/8')).toMatchObject({ family: 6, cidr: 'fd00::/8', network: 'fd00::', hostBitsSet: false });
    expect(parseCidr('0.0.0.0/0').hostBitsSet).toBe(false);
  });

  it('reads a prefix length with leading zeros as Go\'s net.ParseCIDR does (10.0.0.0/024 is a /24)', () => {
    expect(parseCidr('10.0.0.0/024')).toMatchObject({ prefixLength: 24, cidr: '10.0.0.0/24', hostBitsSet: false });
    expect(parseCidr('10.0.0.0/08')).toMatchObject({ prefixLength: 8, cidr: '10.0.0.0/8' });
  });

  it.each([
    ['10.0.0.0', 'must be a CIDR'],
    ['10.0.0.0/', 'prefix length must be 0..32'],
    ['10.0.0.0/0033', 'prefix length must be 0..32'],
    ['10.0.0.0/33', 'prefix length must be 0..32 for IPv4'],
    ['fd00::/129', 'prefix length must be 0..128 for IPv6'],
    ['10.0.0.0/-1', 'prefix length must be 0..32'],
    ['10.0.0/8', 'must be an IPv4 address'],
  ])('refuses %s', (text, rule) => {
    expect(refusal(() => parseCidr(text, 'destination'))).toContain(rule);
  });

  it('tells whether an address is inside', () => {
    expect(cidrContains('10.5.0.0/16', '10.5.34.1')).toBe(true);
    expect(cidrContains('10.5.0.0/16', '10.6.0.1')).toBe(false);
    expect(cidrContains('0.0.0.0/0', 'fd00::1')).toBe(false);
    expect(cidrContains('fd00::/8', 'fd00::1')).toBe(true);
  });
});

describe('parseMac', () => {
  it.each([
    ['c6:d2:32:6f:8f:44', 'c6:d2:32:6f:8f:44'],
    ['C6:D2:32:6F:8F:44', 'c6:d2:32:6f:8f:44'],
    ['0E-2A-00-00-00-01', '0e:2a:00:00:00:01'],
    ['0e2a.0000.0001', '0e:2a:00:00:00:01'],
  ])('normalises %s', (text, canonical) => {
    expect(normalizeMac(text)).toBe(canonical);
    expect(formatMac(parseMac(text))).toBe(canonical);
  });

  it.each(['c6:d2:32:6f:8f', 'c6:d2:32:6f:8f:44:01', 'c6-d2:32:6f:8f:44', 'c6:d2:32:6f:8f:4g', 'c:d2:32:6f:8f:44', ''])(
    'refuses %j', (text) => {
      expect(refusal(() => parseMac(text))).toContain('must be a MAC address of exactly 6 octets');
    },
  );
});

describe('validateLinkName', () => {
  it.each(['flannel.1', 'flannel-v6.1', 'lo', 'a', '123456789012345', 'cni0'])('accepts %s', (name) => {
    expect(validateLinkName(name)).toBe(name);
  });

  it.each([
    ['', 'must be 1..15 bytes'],
    ['1234567890123456', 'must be 1..15 bytes'],
    ['flännel.12345678', 'must be 1..15 bytes'], // 15 characters, 16 bytes
    ['.', "must not be '.' or '..'"],
    ['..', "must not be '.' or '..'"],
    ['a/b', "must not contain '/'"],
    ['eth0:1', "must not contain ':'"],
    ['a b', 'must not contain whitespace'],
    ['a\tb', 'must not contain whitespace'],
    ['flannel%d', "must not contain '%'"],
  ])('refuses %j (%s)', (name, rule) => {
    expect(refusal(() => validateLinkName(name))).toContain(rule);
  });

  it('checks link references', () => {
    expect(validateLinkRef(3)).toBe(3);
    expect(validateLinkRef('flannel.1')).toBe('flannel.1');
    expect(refusal(() => validateLinkRef(0))).toBe('link 0 is invalid: must be a link index 1..2147483647');
    expect(refusal(() => validateLinkRef(1.5))).toContain('must be a link index');
  });
});

const vxlan = (v: Partial<{ vni: number; local: string; group: string; port: number; ttl: number; underlayIndex: number }>): LinkSpec =>
  ({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, ...v } }) as LinkSpec;

describe('validateLinkSpec', () => {
  it('normalises a flannel VXLAN device', () => {
    const spec = validateLinkSpec({
      name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: 'C6:D2:32:6F:8F:44',
      vxlan: { vni: 1, local: '10.0.0.1', underlayIndex: 2, port: 8472, learning: false },
    });
    expect(spec).toEqual({
      name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: 'c6:d2:32:6f:8f:44',
      vxlan: { vni: 1, local: '10.0.0.1', underlayIndex: 2, port: 8472, learning: false },
    });
  });

  it.each<[string, LinkSpec]>([
    ['bridge', { name: 'cni0', kind: 'bridge', up: true }],
    ['veth', { name: 'veth0', kind: 'veth', peerName: 'veth1' }],
    ['tun', { name: 'flannel0', kind: 'tun', mtu: 1472 }],
    ['ipip', { name: 'flannel.ipip', kind: 'ipip', ipip: { local: '10.0.0.1', ttl: 64 } }],
    ['vni 0', vxlan({ vni: 0 })],
    ['vni 2^24-1', vxlan({ vni: 16777215 })],
    ['port 0', vxlan({ port: 0 })],
    ['port 65535', vxlan({ port: 65535 })],
    ['ttl 255', vxlan({ ttl: 255 })],
    ['v6 local and group', vxlan({ local: 'fd00::1', group: 'ff05::100' })],
    ['mtu 68', { name: 'br0', kind: 'bridge', mtu: 68 }],
    ['mtu 65535', { name: 'br0', kind: 'bridge', mtu: 65535 }],
  ])('accepts %s', (_label, spec) => {
    expect(() => validateLinkSpec(spec)).not.toThrow();
  });

  it.each<[LinkSpec, string]>([
    [vxlan({ vni: 16777216 }), 'vxlan.vni 16777216 is invalid: must be 0..16777215'],
    [vxlan({ vni: -1 }), 'vxlan.vni -1 is invalid: must be 0..16777215'],
    [vxlan({ vni: 1.5 }), 'vxlan.vni 1.5 is invalid: must be 0..16777215'],
    [vxlan({ port: 65536 }), 'vxlan.port 65536 is invalid: must be 0..65535'],
    [vxlan({ ttl: 256 }), 'vxlan.ttl 256 is invalid: must be 0..255'],
    [vxlan({ local: '10.0.0.1', group: 'ff05::1' }), 'vxlan.group "ff05::1" is invalid: must be of the same family as vxlan.local'],
    [vxlan({ local: '10.0.0.256' }), 'vxlan.local "10.0.0.256" is invalid'],
    [vxlan({ underlayIndex: 0 }), 'vxlan.underlayIndex 0 is invalid: must be a link index'],
    [{ name: 'flannel.1', kind: 'vxlan' } as unknown as LinkSpec, 'vxlan undefined is invalid: must be an object with at least vni'],
    [{ name: 'br0', kind: 'bridge', mtu: 67 }, 'mtu 67 is invalid: must be 68..65535 (68 is the IPv4 minimum)'],
    [{ name: 'br0', kind: 'bridge', mtu: 65536 }, 'mtu 65536 is invalid: must be 68..65535'],
    [{ name: 'br0', kind: 'bridge', hardwareAddress: '01:00:5e:00:00:01' }, 'hardwareAddress "01:00:5e:00:00:01" is invalid: must be a unicast MAC'],
    [{ name: 'br0', kind: 'bridge', hardwareAddress: '00:00:00:00:00:00' }, 'must not be 00:00:00:00:00:00'],
    [{ name: 'br0', kind: 'bridge', hardwareAddress: 'aa:bb:cc:dd:ee' }, 'must be a MAC address of exactly 6 octets'],
    [{ name: 'br0', kind: 'bridge', masterIndex: 0 }, 'masterIndex 0 is invalid'],
    [{ name: 'this-is-too-long', kind: 'bridge' }, 'name "this-is-too-long" is invalid: must be 1..15 bytes'],
    [{ name: 'veth0', kind: 'veth', peerName: 'veth0' }, 'peerName "veth0" is invalid: must differ from name'],
    [{ name: 'veth0', kind: 'veth', peerName: 'a/b' }, "peerName \"a/b\" is invalid: must not contain '/'"],
    [{ name: 't0', kind: 'ipip', ipip: { local: 'fd00::1' } }, 'ipip.local "fd00::1" is invalid: must be an IPv4 address'],
    [{ name: 'x0', kind: 'gre' } as unknown as LinkSpec, 'kind "gre" is invalid: must be one of'],
  ])('refuses %j', (spec, message) => {
    expect(refusal(() => validateLinkSpec(spec))).toContain(message);
  });

  it('names the operation and keeps the request', () => {
    const spec = vxlan({ vni: 1 << 24 });
    try {
      validateLinkSpec(spec);
    } catch (error) {
      expect((error as NetlinkInvalidArgumentError).operation).toBe('addLink');
      expect((error as NetlinkInvalidArgumentError).request).toBe(spec);
      expect((error as NetlinkInvalidArgumentError).field).toBe('vxlan.vni');
    }
    expect.assertions(3);
  });
});

describe('validateLinkChanges', () => {
  it('accepts and normalises changes', () => {
    expect(validateLinkChanges({ up: true, mtu: 1450, hardwareAddress: 'AA:BB:CC:DD:EE:FF', masterIndex: 0 })).toEqual({
      up: true, mtu: 1450, hardwareAddress: 'aa:bb:cc:dd:ee:ff', masterIndex: 0,
    });
    expect(validateLinkChanges({})).toEqual({});
  });

  it.each<[LinkChanges, string]>([
    [{ mtu: 0 }, 'mtu 0 is invalid'],
    [{ up: 'yes' as unknown as boolean }, 'up "yes" is invalid: must be true or false'],
    [{ masterIndex: -1 }, 'masterIndex -1 is invalid'],
  ])('refuses %j', (changes, message) => {
    expect(refusal(() => validateLinkChanges(changes))).toContain(message);
  });
});

describe('validateAddress', () => {
  it('normalises the address text', () => {
    expect(validateAddress({ family: 6, index: 3, address: 'FD00:0::1', prefixLength: 64 })).toEqual({
      family: 6, index: 3, address: 'fd00::1', prefixLength: 64,
    });
  });

  it.each<[Address, string]>([
    [{ family: 4, index: 3, address: 'fd00::1', prefixLength: 32 }, 'address "fd00::1" is invalid: must be an IPv4 address'],
    [{ family: 4, index: 3, address: '10.0.0.1', prefixLength: 33 }, 'prefixLength 33 is invalid: must be 0..32 for IPv4'],
    [{ family: 6, index: 3, address: 'fd00::1', prefixLength: 129 }, 'prefixLength 129 is invalid: must be 0..128 for IPv6'],
    [{ family: 5 as 4, index: 3, address: '10.0.0.1', prefixLength: 32 }, 'family 5 is invalid: must be 4 or 6'],
    [{ family: 4, index: 0, address: '10.0.0.1', prefixLength: 32 }, 'index 0 is invalid'],
    [{ family: 4, index: 3, address: '10.0.0.1', prefixLength: 32, scope: 'global' as 'universe' }, 'scope "global" is invalid'],
    [{ family: 4, index: 3, address: '10.0.0.1', prefixLength: 32, label: 'flannel.1:toolong' }, 'label "flannel.1:toolong" is invalid'],
  ])('refuses %j', (address, message) => {
    expect(refusal(() => validateAddress(address))).toContain(message);
  });
});

describe('validateRoute', () => {
  it('normalises a flannel onlink route', () => {
    expect(validateRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 5, onlink: true })).toEqual({
      family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 5, onlink: true,
    });
    expect(validateRoute({ family: 6, destination: 'FD00:1::/64', gateway: 'fd00::1' }).destination).toBe('fd00:1::/64');
  });

  it('names the operation and the request in a refusal', () => {
    const route: Route = { family: 4, destination: '10.5.34.1/24', index: 5 };
    let refused: unknown;
    try {
      validateRoute(route, 'replaceRoute');
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ operation: 'replaceRoute', request: route, field: 'destination', value: '10.5.34.1/24' });
  });

  it('lets a delete name the destination only', () => {
    expect(validateRoute({ family: 4, destination: '10.5.34.0/24' }, 'deleteRoute')).toEqual({ family: 4, destination: '10.5.34.0/24' });
  });

  it.each<[string, Route]>([
    ['default via gateway', { family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1' }],
    ['device route', { family: 4, destination: '10.5.0.0/16', index: 5, scope: 'link' }],
    ['blackhole without nexthop', { family: 4, destination: '10.5.0.0/16', type: 'blackhole' }],
    ['other table', { family: 4, destination: '10.5.0.0/16', index: 5, table: 100, priority: 10, protocol: 4 }],
  ])('accepts %s', (_label, route) => {
    expect(() => validateRoute(route)).not.toThrow();
  });

  it.each<[Route, string]>([
    [{ family: 4, destination: '10.5.34.1/24', index: 5 }, 'destination "10.5.34.1/24" is invalid: must have no host bits set (network is 10.5.34.0/24)'],
    [{ family: 4, destination: 'fd00::/64', index: 5 }, 'destination "fd00::/64" is invalid: must be an IPv4 CIDR'],
    [{ family: 4, destination: '10.5.34.0/24', gateway: 'fd00::1' }, "gateway \"fd00::1\" is invalid: must be of the destination's family (IPv4)"],
    [{ family: 6, destination: 'fd00::/64', gateway: '10.0.0.1' }, "gateway \"10.0.0.1\" is invalid: must be of the destination's family (IPv6)"],
    [{ family: 4, destination: '10.5.34.0/24', index: 5, source: 'fd00::1' }, 'source "fd00::1" is invalid'],
    [{ family: 4, destination: '10.5.34.0/24' }, 'a unicast route needs a gateway or a device index'],
    [{ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', onlink: true }, 'onlink true is invalid: needs a device index'],
    [{ family: 4, destination: '10.5.34.0/24', index: 5, table: 0 }, 'table 0 is invalid: must be 1..4294967295 (254 is main)'],
    [{ family: 4, destination: '10.5.34.0/24', index: 5, protocol: 256 }, 'protocol 256 is invalid'],
    [{ family: 4, destination: '10.5.34.0/24', index: 5, mtu: 20 }, 'mtu 20 is invalid'],
    [{ family: 4, destination: '10.5.34.0/24', index: 5, type: 'multicast' as 'unicast' }, 'type "multicast" is invalid'],
    [{ family: 4, destination: '10.5.34.0/33', index: 5 }, 'prefix length must be 0..32'],
  ])('refuses %j', (route, message) => {
    expect(refusal(() => validateRoute(route))).toContain(message);
  });
});

describe('canonicalIpv4NetworkPrefix', () => {
  it.each<[string, number]>([
    ['10.5.34.0/24', 24],
    ['0.0.0.0/0', 0],
    ['255.255.255.255/32', 32],
    ['10.0.0.0/8', 8],
  ])('reads %s as a canonical network', (text, prefix) => {
    expect(canonicalIpv4NetworkPrefix(text)).toBe(prefix);
  });

  it.each(['10.5.34.1/24', '10.5.34.0/33', '10.5.34.0/024', '10.5.34.0/', '010.5.34.0/24', '10.5.34/24', '10.5.34.0.1/24', '256.0.0.0/8', '10.5.34.0', 'fd00::/64', '1.2.3.4/1/2'])(
    'leaves %s to the full parser (same verdict through validateRoute)',
    (text) => {
      expect(canonicalIpv4NetworkPrefix(text)).toBe(-1);
    },
  );

  it('gives validateRoute the same result as the full parser', () => {
    for (const destination of ['10.5.34.0/24', '10.5.34.1/24', '10.5.34.0/033', '0.0.0.0/0']) {
      const viaParser = (() => {
        try {
          const parsed = parseCidr(destination);
          return parsed.hostBitsSet ? 'refused' : parsed.cidr;
        } catch {
          return 'refused';
        }
      })();
      const viaValidate = (() => {
        try {
          return validateRoute({ family: 4, destination, index: 5 }).destination;
        } catch {
          return 'refused';
        }
      })();
      expect(viaValidate).toBe(viaParser);
    }
  });
});

describe('validateNeighbour', () => {
  it('normalises address and MAC', () => {
    expect(validateNeighbour({ family: 4, index: 5, address: '10.5.34.0', hardwareAddress: 'C6:D2:32:6F:8F:44', state: 'permanent' }))
      .toEqual({ family: 4, index: 5, address: '10.5.34.0', hardwareAddress: 'c6:d2:32:6f:8f:44', state: 'permanent' });
  });

  it.each<[Neighbour, string]>([
    [{ family: 4, index: 5, address: 'fd00::1' }, 'address "fd00::1" is invalid: must be an IPv4 address'],
    [{ family: 6, index: 5, address: 'fd00::1', hardwareAddress: 'c6:d2:32:6f:8f' }, 'hardwareAddress "c6:d2:32:6f:8f" is invalid'],
    [{ family: 4, index: 5, address: '10.0.0.1', state: 'gone' as 'none' }, 'state "gone" is invalid'],
    [{ family: 4, index: -5, address: '10.0.0.1' }, 'index -5 is invalid'],
  ])('refuses %j', (neighbour, message) => {
    expect(refusal(() => validateNeighbour(neighbour))).toContain(message);
  });
});

describe('validateFdbEntry', () => {
  it('normalises MAC and destination', () => {
    expect(validateFdbEntry({ index: 5, hardwareAddress: 'C6:D2:32:6F:8F:44', destination: 'FD00::3', self: true }))
      .toEqual({ index: 5, hardwareAddress: 'c6:d2:32:6f:8f:44', destination: 'fd00::3', self: true });
  });

  it.each<[FdbEntry, string]>([
    [{ index: 5, hardwareAddress: 'nope' }, 'hardwareAddress "nope" is invalid'],
    [{ index: 5, hardwareAddress: 'c6:d2:32:6f:8f:44', destination: '300.0.0.1' }, 'destination "300.0.0.1" is invalid'],
    [{ index: 5, hardwareAddress: 'c6:d2:32:6f:8f:44', vni: 16777216 }, 'vni 16777216 is invalid: must be 0..16777215'],
    [{ index: 5, hardwareAddress: 'c6:d2:32:6f:8f:44', port: 70000 }, 'port 70000 is invalid: must be 0..65535'],
  ])('refuses %j', (entry, message) => {
    expect(refusal(() => validateFdbEntry(entry))).toContain(message);
  });
});
