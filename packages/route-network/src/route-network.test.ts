// The whole route network on core's loop: a lease event that arrives while the periodic check dumps the routes
// is programmed before that check ends (the full pass is split), and the check then leaves it alone.
import { IpNet, silentLogger } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { createMemorySubnetManager, manualTicks, passWaiters } from '@flannel-ts/core/testing';
import type { Route } from '@flannel-ts/netlink';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';
import { createRouteNetwork } from './route-network.js';
import type { RouteReconcileReport } from './route-reconciler.js';

const CONFIG = JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'host-gw' } });

describe('createRouteNetwork', () => {
  it('programs a lease event during the periodic check before the check ends, and the check keeps it', async () => {
    const manager = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
    const own: Lease = await manager.acquireLease({ publicIP: '192.168.77.10', backendType: 'host-gw' });
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.77.10/24'] }] });
    const index = (await netlink.getLink('eth0')).index;
    const ticks = manualTicks();
    const passes = passWaiters<RouteReconcileReport>();
    const reports: string[] = [];
    // Dumps are held while `held` is set, after the kernel was read.
    let held: { dumped: () => void; release: Promise<void> } | undefined;
    const controller = new AbortController();
    const network = createRouteNetwork({
      netlink: {
        listRoutes: async (filter) => {
          const routes = await netlink.listRoutes(filter);
          if (held !== undefined) {
            held.dumped();
            await held.release;
          }
          return routes;
        },
        batch: (operations) => netlink.batch(operations),
      },
      subnetManager: manager,
      logger: silentLogger,
      lease: own,
      mtu: 1500,
      backendType: 'host-gw',
      families: [{ family: 4, network: IpNet.parse('10.5.0.0/16'), ownSubnet: own.subnet!, device: { index, owned: false } }],
      routeFor: (remote, family) => ({ family, destination: remote.subnet!.toString(), gateway: remote.attributes.publicIP }),
      ticks: (signal) => ticks.source(signal),
      onReconcile: (report) => {
        reports.push(`${report.mode} ${report.operations}`);
        passes.notify(report);
      },
    });
    const first = passes.next();
    const running = network.run(controller.signal);
    await first;

    let release: () => void = () => undefined;
    const dumped = new Promise<void>((resolve) => {
      held = { dumped: resolve, release: new Promise<void>((done) => (release = done)) };
    });
    ticks.tick();
    await dumped;
    const incremental = passes.next((report) => report.mode === 'incremental');
    manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.77.2', backendType: 'host-gw' } });
    await incremental;
    const routes = (await netlink.listRoutes({ family: 4 })).filter((route: Route) => route.destination === '10.5.34.0/24');
    expect(routes.map((route) => `${route.destination} via ${route.gateway}`)).toEqual(['10.5.34.0/24 via 192.168.77.2']);

    const check = passes.next((report) => report.mode === 'full');
    held = undefined;
    release();
    await check;
    // The check found the route the incremental pass wrote (its journal) and wrote nothing.
    expect(reports).toEqual(['full 0', 'incremental 1', 'full 0']);
    controller.abort();
    await running;
  });
});
