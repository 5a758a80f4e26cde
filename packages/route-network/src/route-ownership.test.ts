import { IpNet } from '@flannel-ts/core';
import type { Route } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { isOwnedRoute, ownedRoutes } from './route-ownership.js';
import type { RouteOwnership } from './route-ownership.js';

const SHARED: RouteOwnership = {
  family: 4,
  index: 2,
  deviceOwned: false,
  network: IpNet.parse('10.5.0.0/16'),
  ownSubnet: IpNet.parse('10.5.72.0/24'),
  knownGateways: new Set(['192.168.1.2']),
};

describe('isOwnedRoute', () => {
  it('owns marked routes and routes via a known PublicIP on a shared device, inside the network, other than the own subnet', () => {
    const routes: Route[] = [
      { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 }, // via a lease's PublicIP, proto boot
      { family: 4, destination: '10.5.40.0/24', gateway: '192.168.1.40', index: 2, protocol: 70 }, // marked
      { family: 4, destination: '10.5.72.0/24', gateway: '192.168.1.2', index: 2, protocol: 70 }, // own subnet
      { family: 4, destination: '10.5.35.0/24', gateway: '192.168.1.2', index: 3, protocol: 70 }, // other device
      { family: 4, destination: '10.6.0.0/24', gateway: '192.168.1.2', index: 2, protocol: 70 }, // outside the network
      { family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 },
      { family: 4, destination: '10.5.37.0/24', gateway: '192.168.1.2', index: 2, table: 100, protocol: 70 }, // other table
    ];
    expect(ownedRoutes(routes, SHARED).map((route) => route.destination)).toEqual(['10.5.34.0/24', '10.5.40.0/24']);
  });

  it("never owns an operator's route via the underlay gateway, proto boot or static", () => {
    const operator: Route = { family: 4, destination: '10.5.1.0/24', gateway: '192.168.77.1', index: 2, protocol: 3 };
    expect(isOwnedRoute(operator, SHARED)).toBe(false);
    expect(isOwnedRoute({ ...operator, protocol: 4 }, SHARED)).toBe(false);
    expect(isOwnedRoute({ ...operator, destination: '10.5.1.0/25' }, SHARED)).toBe(false);
  });

  it('owns every route into the network on a device the backend created, but not the own subnet', () => {
    const owned: RouteOwnership = { ...SHARED, index: 7, deviceOwned: true, knownGateways: new Set() };
    expect(isOwnedRoute({ family: 4, destination: '10.5.1.0/24', gateway: '10.5.1.0', index: 7, onlink: true, protocol: 3 }, owned)).toBe(true);
    expect(isOwnedRoute({ family: 4, destination: '10.5.72.0/24', gateway: '10.5.72.0', index: 7 }, owned)).toBe(false);
    expect(isOwnedRoute({ family: 4, destination: '172.16.0.0/24', gateway: '10.5.1.0', index: 7 }, owned)).toBe(false);
  });

  it('honours another mark when the backend uses one', () => {
    expect(isOwnedRoute({ family: 4, destination: '10.5.40.0/24', gateway: '192.168.1.40', index: 2, protocol: 99 }, { ...SHARED, protocol: 99 })).toBe(true);
    expect(isOwnedRoute({ family: 4, destination: '10.5.40.0/24', gateway: '192.168.1.40', index: 2, protocol: 70 }, { ...SHARED, protocol: 99 })).toBe(false);
  });
});
