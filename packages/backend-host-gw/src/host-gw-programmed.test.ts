import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import type { Route } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { diffHostGwChanges, hostGwRouteKey } from './host-gw-programmed.js';
import type { HostGwProgrammed } from './host-gw-programmed.js';

const route = (destination: string, gateway: string, index = 2): Route => ({ family: 4, destination, gateway, index });

describe('hostGwRouteKey', () => {
  it('files a lease under its subnet of the family, or nowhere when it has none', () => {
    const lease: Lease = { enableIPv4: true, enableIPv6: false, subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2' } };
    expect(hostGwRouteKey(lease, 4)).toBe('10.5.34.0/24');
    expect(hostGwRouteKey(lease, 6)).toBeUndefined();
  });
});

describe('diffHostGwChanges', () => {
  const programmed: HostGwProgrammed = new Map([
    ['10.5.34.0/24', route('10.5.34.0/24', '192.168.1.2')],
    ['10.5.35.0/24', route('10.5.35.0/24', '192.168.1.3')],
  ]);

  it('adds the route of a new subnet', () => {
    expect(diffHostGwChanges([route('10.5.36.0/24', '192.168.1.4')], programmed, ['10.5.36.0/24'])).toEqual([
      { op: 'replaceRoute', route: route('10.5.36.0/24', '192.168.1.4') },
    ]);
  });

  it('replaces a route whose gateway or interface changed and leaves an unchanged one alone', () => {
    expect(diffHostGwChanges([route('10.5.34.0/24', '192.168.1.9'), route('10.5.35.0/24', '192.168.1.3')], programmed, ['10.5.34.0/24', '10.5.35.0/24'])).toEqual([
      { op: 'replaceRoute', route: route('10.5.34.0/24', '192.168.1.9') },
    ]);
    expect(diffHostGwChanges([route('10.5.35.0/24', '192.168.1.3', 3)], programmed, ['10.5.35.0/24'])).toEqual([
      { op: 'replaceRoute', route: route('10.5.35.0/24', '192.168.1.3', 3) },
    ]);
  });

  it('deletes the programmed route of a subnet that no longer wants one, first, and nothing it never programmed', () => {
    expect(diffHostGwChanges([route('10.5.36.0/24', '192.168.1.4')], programmed, ['10.5.36.0/24', '10.5.35.0/24', '10.5.99.0/24'])).toEqual([
      { op: 'deleteRoute', route: route('10.5.35.0/24', '192.168.1.3') },
      { op: 'replaceRoute', route: route('10.5.36.0/24', '192.168.1.4') },
    ]);
  });

  it('touches only the subnets it is given', () => {
    expect(diffHostGwChanges([], programmed, [])).toEqual([]);
  });
});
