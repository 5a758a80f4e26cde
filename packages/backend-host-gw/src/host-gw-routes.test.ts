import { IpNet } from '@flannel-ts/core';
import type { Lease, LeaseAttributes } from '@flannel-ts/core';
import type { Route } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { desiredHostGwRoutes, diffHostGwRoutes, ownedHostGwRoutes } from './host-gw-routes.js';

function lease(subnet: string, publicIP: string, extra: Partial<LeaseAttributes> = {}, ipv6Subnet?: string): Lease {
  return {
    enableIPv4: true,
    enableIPv6: ipv6Subnet !== undefined,
    subnet: IpNet.parse(subnet),
    ...(ipv6Subnet ? { ipv6Subnet: IpNet.parse(ipv6Subnet) } : {}),
    attributes: { publicIP, backendType: 'host-gw', ...extra },
  };
}

const TARGET = { family: 4 as const, externalIndex: 2 };

describe('desiredHostGwRoutes', () => {
  it('routes each remote subnet via its PublicIP on the external interface, ordered by subnet', () => {
    const desired = desiredHostGwRoutes([lease('10.5.34.0/24', '192.168.1.2'), lease('10.5.3.0/24', '192.168.1.3')], TARGET);
    expect(desired.routes).toEqual([
      { family: 4, destination: '10.5.3.0/24', gateway: '192.168.1.3', index: 2 },
      { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 },
    ]);
  });

  it('routes IPv6 subnets via PublicIPv6', () => {
    const dual = lease('10.5.34.0/24', '192.168.1.2', { publicIPv6: 'fd00::2' }, 'fd00:10:0:34::/64');
    expect(desiredHostGwRoutes([dual], { family: 6, externalIndex: 2 }).routes).toEqual([
      { family: 6, destination: 'fd00:10:0:34::/64', gateway: 'fd00::2', index: 2 },
    ]);
  });

  it('ignores other backend types with a warning and bad PublicIPs without throwing', () => {
    const desired = desiredHostGwRoutes([lease('10.5.1.0/24', '192.168.1.2', { backendType: 'vxlan' }), lease('10.5.2.0/24', 'x')], TARGET);
    expect(desired.routes).toEqual([]);
    expect(desired.ignored.map((entry) => [entry.level, entry.reason])).toEqual([
      ['warn', 'BackendType "vxlan" is not host-gw'],
      ['warn', 'PublicIP "x" is invalid: must be an IPv4 address'],
    ]);
  });
});

describe('diffHostGwRoutes', () => {
  const want: Route = { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 };

  it('adds a missing route and leaves a present one alone', () => {
    expect(diffHostGwRoutes([want], [])).toEqual([{ op: 'replaceRoute', route: want }]);
    expect(diffHostGwRoutes([want], [{ ...want, protocol: 3, table: 254 }])).toEqual([]);
  });

  it('replaces a route whose gateway differs and deletes routes no lease wants, deletions first', () => {
    const stale: Route = { family: 4, destination: '10.5.9.0/24', gateway: '192.168.1.9', index: 2 };
    expect(diffHostGwRoutes([want], [{ ...want, gateway: '192.168.1.99' }, stale])).toEqual([
      { op: 'deleteRoute', route: stale },
      { op: 'replaceRoute', route: want },
    ]);
  });
});

describe('ownedHostGwRoutes', () => {
  it('owns only gateway routes on the external interface to subnet-sized networks inside the flannel network', () => {
    const routes: Route[] = [
      { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 },
      { family: 4, destination: '10.5.72.0/24', gateway: '192.168.1.2', index: 2 },
      { family: 4, destination: '10.5.35.0/24', gateway: '192.168.1.2', index: 3 },
      { family: 4, destination: '10.6.0.0/24', gateway: '192.168.1.2', index: 2 },
      { family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 },
      { family: 4, destination: '10.5.36.0/24', index: 2, scope: 'link' },
      { family: 4, destination: '10.5.37.0/24', gateway: '192.168.1.2', index: 2, table: 100 },
    ];
    const owned = ownedHostGwRoutes(routes, {
      family: 4,
      externalIndex: 2,
      network: IpNet.parse('10.5.0.0/16'),
      subnetLength: 24,
      ownSubnet: IpNet.parse('10.5.72.0/24'),
    });
    expect(owned.map((route) => route.destination)).toEqual(['10.5.34.0/24']);
  });
});
