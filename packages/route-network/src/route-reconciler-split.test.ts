// A full pass whose route dump is held while incremental passes change the kernel (what core's loop allows with
// `splitFullPasses`): whatever the dump shows, the kernel ends as the leases read after beginApply() want it.
import { IpNet, silentLogger } from '@flannel-ts/core';
import type { Lease, LeaseEvent, LeaseReconcilePass, Logger } from '@flannel-ts/core';
import type { Route } from '@flannel-ts/netlink';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';
import { createRouteReconciler } from './route-reconciler.js';
import type { RouteReconcileReport } from './route-reconciler.js';

const lease = (subnet: string, publicIP: string): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'host-gw' },
});

function setup() {
  const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.77.10/24'] }] });
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_fields: unknown, message?: string) => void warnings.push(message ?? '') } as Logger;
  // The next dump is held (after the kernel was read) until `release()`.
  let hold: { dumped: () => void; release: Promise<void> } | undefined;
  const reconciler = createRouteReconciler({
    netlink: {
      listRoutes: async (filter) => {
        const routes = await netlink.listRoutes(filter);
        const held = hold;
        hold = undefined;
        if (held !== undefined) {
          held.dumped();
          await held.release;
        }
        return routes;
      },
      batch: (operations) => netlink.batch(operations),
    },
    logger,
    backendType: 'host-gw',
    routeFor: (remote, family) => ({ family, destination: remote.subnet!.toString(), gateway: remote.attributes.publicIP }),
    families: [{ family: 4, network: IpNet.parse('10.5.0.0/16'), ownSubnet: IpNet.parse('10.5.72.0/24'), device: { index: 2, owned: false } }],
  });
  const pass = (kind: LeaseReconcilePass['kind'], leases: readonly Lease[], events: readonly LeaseEvent[] = []) =>
    reconciler.pass({ kind, leases, events, requestFull: () => undefined });
  /**
   * Starts a full pass whose dump is held: resolves once the kernel was read, with `release(leases)` to let the
   * pass go on into its apply phase with the leases known by then.
   */
  const heldFullPass = async (): Promise<(leases: readonly Lease[]) => Promise<RouteReconcileReport>> => {
    let dumped: () => void = () => undefined;
    const read = new Promise<void>((resolve) => (dumped = resolve));
    let release: () => void = () => undefined;
    hold = { dumped, release: new Promise<void>((resolve) => (release = resolve)) };
    let current: readonly Lease[] = [];
    const report = reconciler.pass({
      kind: 'full',
      get leases() {
        return current;
      },
      events: [],
      requestFull: () => undefined,
      beginApply: async () => undefined,
    });
    await read;
    return (leases) => {
      current = leases;
      release();
      return report;
    };
  };
  const routesOn = async () =>
    (await netlink.listRoutes({ family: 4 })).filter((route) => route.destination.startsWith('10.5.')).map((route: Route) => `${route.destination} via ${route.gateway}`).sort();
  return { netlink, warnings, pass, heldFullPass, routesOn };
}

describe('createRouteReconciler, full pass split around incremental passes', () => {
  it('deletes a route an incremental pass changed during the dump when its lease is gone by the apply phase', async () => {
    const h = setup();
    await h.pass('full', [lease('10.5.34.0/24', '192.168.77.2')]);
    const apply = await h.heldFullPass(); // the dump shows 10.5.34.0/24 via .2
    await h.pass('incremental', [], [{ type: 'added', lease: lease('10.5.34.0/24', '192.168.77.3') }]);
    expect(await h.routesOn()).toEqual(['10.5.34.0/24 via 192.168.77.3']);
    // The lease went away after that incremental pass, before the full pass read the leases.
    expect(await apply([])).toMatchObject({ operations: 1, failed: 0 });
    expect(await h.routesOn()).toEqual([]);
    // The event of its removal then finds nothing left to do.
    expect(await h.pass('incremental', [], [{ type: 'removed', lease: lease('10.5.34.0/24', '192.168.77.3') }])).toMatchObject({ operations: 0, failed: 0 });
    expect(h.warnings).toEqual([]);
  });

  it('neither deletes again nor rewrites what incremental passes removed or added during the dump', async () => {
    const h = setup();
    await h.pass('full', [lease('10.5.34.0/24', '192.168.77.2')]);
    const apply = await h.heldFullPass();
    await h.pass('incremental', [], [
      { type: 'removed', lease: lease('10.5.34.0/24', '192.168.77.2') },
      { type: 'added', lease: lease('10.5.35.0/24', '192.168.77.4') },
    ]);
    const calls = h.netlink.calls.length;
    expect(await apply([lease('10.5.35.0/24', '192.168.77.4')])).toMatchObject({ operations: 0, failed: 0, routes: 1 });
    expect(h.netlink.calls.length).toBe(calls);
    expect(await h.routesOn()).toEqual(['10.5.35.0/24 via 192.168.77.4']);
  });

  it('takes a stale route someone else deleted after the dump as gone, without a warning', async () => {
    const h = setup();
    await h.pass('full', [lease('10.5.34.0/24', '192.168.77.2')]);
    const apply = await h.heldFullPass();
    await h.netlink.outside.deleteRoute({ family: 4, destination: '10.5.34.0/24', gateway: '192.168.77.2', index: 2 });
    expect(await apply([])).toMatchObject({ operations: 1, failed: 0 });
    expect(h.netlink.calls.at(-1)?.error?.errnoName).toBe('ESRCH');
    expect(h.warnings).toEqual([]);
  });

  it('programs a lease that arrived during the dump but had no incremental pass yet', async () => {
    const h = setup();
    await h.pass('full', []);
    const apply = await h.heldFullPass();
    expect(await apply([lease('10.5.36.0/24', '192.168.77.6')])).toMatchObject({ operations: 1, failed: 0 });
    expect(await h.routesOn()).toEqual(['10.5.36.0/24 via 192.168.77.6']);
    // Its event, handled after the full pass, is then a no-op against the re-seeded model.
    expect(await h.pass('incremental', [], [{ type: 'added', lease: lease('10.5.36.0/24', '192.168.77.6') }])).toMatchObject({ operations: 0 });
  });
});
