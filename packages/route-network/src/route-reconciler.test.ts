import { IpNet, silentLogger } from '@flannel-ts/core';
import type { Lease, LeaseEvent, LeaseReconcilePass, Logger } from '@flannel-ts/core';
import type { Route } from '@flannel-ts/netlink';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';
import { createRouteReconciler } from './route-reconciler.js';
import type { RouteFor } from './route-network-types.js';

const lease = (subnet: string, publicIP: string, backendType = 'host-gw'): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType },
});

const routeFor: RouteFor = (remote, family) =>
  remote.attributes.publicIP === 'bad' ? { refused: 'PublicIP "bad" is invalid' } : { family, destination: remote.subnet!.toString(), gateway: remote.attributes.publicIP };

function setup(routes: Route[] = []) {
  const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.77.10/24'] }], routes });
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_fields: unknown, message?: string) => void warnings.push(message ?? '') } as Logger;
  const reconciler = createRouteReconciler({
    netlink,
    logger,
    backendType: 'host-gw',
    routeFor,
    families: [{ family: 4, network: IpNet.parse('10.5.0.0/16'), ownSubnet: IpNet.parse('10.5.72.0/24'), device: { index: 2, owned: false } }],
  });
  let full = 0;
  const pass = (kind: LeaseReconcilePass['kind'], leases: readonly Lease[], events: readonly LeaseEvent[] = []) =>
    reconciler.pass({ kind, leases, events, requestFull: () => void (full += 1) });
  const routesOn = async () =>
    (await netlink.listRoutes({ family: 4 })).filter((route) => route.destination.startsWith('10.5.')).map((route) => `${route.destination} via ${route.gateway} proto ${route.protocol}`)
      .sort();
  return { netlink, warnings, pass, routesOn, fullRequests: () => full };
}

describe('createRouteReconciler', () => {
  it("keeps an operator's routes inside the network (proto boot and static) through full passes", async () => {
    const h = setup([
      { family: 4, destination: '10.5.1.0/24', gateway: '192.168.77.1', index: 2, protocol: 3 },
      { family: 4, destination: '10.5.2.0/24', gateway: '192.168.77.1', index: 2, protocol: 4 },
    ]);
    await h.pass('full', [lease('10.5.34.0/24', '192.168.77.2')]);
    await h.pass('full', []);
    expect(await h.routesOn()).toEqual(['10.5.1.0/24 via 192.168.77.1 proto 3', '10.5.2.0/24 via 192.168.77.1 proto 4']);
  });

  it('marks what it programs, removes its own route of a gone lease, and re-marks an unmarked route via a lease', async () => {
    const h = setup([{ family: 4, destination: '10.5.35.0/24', gateway: '192.168.77.3', index: 2, protocol: 3 }]);
    const report = await h.pass('full', [lease('10.5.34.0/24', '192.168.77.2'), lease('10.5.35.0/24', '192.168.77.3')]);
    expect(report).toEqual({ operations: 2, failed: 0, routes: 2, mode: 'full' });
    expect(await h.routesOn()).toEqual(['10.5.34.0/24 via 192.168.77.2 proto 70', '10.5.35.0/24 via 192.168.77.3 proto 70']);
    await h.pass('full', [lease('10.5.35.0/24', '192.168.77.3')]);
    expect(await h.routesOn()).toEqual(['10.5.35.0/24 via 192.168.77.3 proto 70']);
  });

  it('applies lease events against its model, deleting only what it programmed', async () => {
    const h = setup([{ family: 4, destination: '10.5.1.0/24', gateway: '192.168.77.1', index: 2, protocol: 4 }]);
    await h.pass('full', [lease('10.5.34.0/24', '192.168.77.2')]);
    const report = await h.pass('incremental', [], [
      { type: 'removed', lease: lease('10.5.34.0/24', '192.168.77.2') },
      { type: 'removed', lease: lease('10.5.1.0/24', '192.168.77.1') },
      { type: 'added', lease: lease('10.5.36.0/24', '192.168.77.4') },
    ]);
    expect(report).toEqual({ operations: 2, failed: 0, routes: 1, mode: 'incremental' });
    expect(await h.routesOn()).toEqual(['10.5.1.0/24 via 192.168.77.1 proto 4', '10.5.36.0/24 via 192.168.77.4 proto 70']);
  });

  it('logs a lease of another type or with refused data once per reason and routes nothing for it', async () => {
    const h = setup();
    const leases = [lease('10.5.34.0/24', '192.168.77.2', 'vxlan'), lease('10.5.35.0/24', 'bad')];
    await h.pass('full', leases);
    await h.pass('full', leases);
    expect(h.warnings).toEqual(['ignoring lease: BackendType "vxlan" is not host-gw', 'ignoring lease: PublicIP "bad" is invalid']);
    expect(await h.routesOn()).toEqual([]);
  });

  it('does nothing before the lease set is known', async () => {
    const h = setup([{ family: 4, destination: '10.5.40.0/24', gateway: '192.168.77.40', index: 2, protocol: 70 }]);
    expect(await h.pass('before-leases', [])).toEqual({ operations: 0, failed: 0, routes: 0, mode: 'full' });
    expect(await h.routesOn()).toEqual(['10.5.40.0/24 via 192.168.77.40 proto 70']);
  });
  it('keeps a backend-owned device route for the whole network (extraRoutes) and is idle once it is there', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.77.10/24'] }, { name: 'flannel-wg', kind: 'dummy' }] });
    const index = (await netlink.getLink('flannel-wg')).index;
    const reconciler = createRouteReconciler({
      netlink,
      logger: silentLogger,
      backendType: 'wireguard',
      routeFor: () => undefined,
      families: [
        {
          family: 4,
          network: IpNet.parse('10.5.0.0/16'),
          ownSubnet: IpNet.parse('10.5.72.0/24'),
          device: { index, owned: true },
          extraRoutes: [{ family: 4, destination: '10.5.0.0/16', scope: 'link' }],
        },
      ],
    });
    const pass = (leases: readonly Lease[]) => reconciler.pass({ kind: 'full', leases, events: [], requestFull: () => undefined });
    expect(await pass([lease('10.5.34.0/24', '192.168.77.2', 'wireguard')])).toEqual({ operations: 1, failed: 0, routes: 1, mode: 'full' });
    expect(netlink.toCommands().filter((line) => line.startsWith('ip route'))).toEqual(['ip route add 10.5.0.0/16 dev flannel-wg proto 70']);
    expect(await pass([])).toEqual({ operations: 0, failed: 0, routes: 1, mode: 'full' });
  });
});
