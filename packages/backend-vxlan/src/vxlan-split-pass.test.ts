// The periodic check is a split full pass: lease events that arrive while it dumps flannel.1 are programmed at
// once by incremental passes, and whatever the dump shows of them, the check leaves the kernel as the leases want.
import { IpNet, silentLogger } from '@flannel-ts/core';
import type { Network } from '@flannel-ts/core';
import { createMemorySubnetManager, manualTicks, passWaiters } from '@flannel-ts/core/testing';
import type { MemorySubnetManager } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createVxlanBackend } from './vxlan-backend.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import type { VxlanReconcileReport } from './vxlan-network.js';

/** A promise a test resolves by hand. */
function gate(): { readonly wait: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** Lets the loop run for a few turns of the event loop: long enough for anything not held by a gate to happen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

const DUMPS = new Set(['listRoutes', 'listNeighbours', 'listFdb']);
const running: Array<{ controller: AbortController; done: Promise<void>; releaseAll: () => void }> = [];
afterEach(async () => {
  for (const { controller, done, releaseAll } of running.splice(0)) {
    releaseAll();
    controller.abort();
    await done;
  }
});

/** A remote lease: subnet, PublicIP, VTEP MAC. */
type Peer = readonly [string, string, string];

/**
 * A vxlan network over the recording netlink, running after its first full pass over `peers`, whose dumps (read
 * from the kernel first) and batches can be held: `holdDumps()` holds the next full pass after it has read the
 * kernel, `holdBatch()` the next batch before it is sent.
 */
async function setup(peers: readonly Peer[]) {
  const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
  const manager = createMemorySubnetManager({ config: JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } }), random: () => 0 });
  const ticks = manualTicks();
  const reports: VxlanReconcileReport[] = [];
  const passes = passWaiters<VxlanReconcileReport>();
  let dumps: ReturnType<typeof gate> | undefined;
  let dumped = gate();
  let batch: ReturnType<typeof gate> | undefined;
  let batching = gate();
  const held = new Proxy(netlink, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const call = (...args: unknown[]): unknown => (value as (...args: unknown[]) => unknown).apply(target, args);
      if (DUMPS.has(property)) {
        return async (...args: unknown[]) => {
          const result = await call(...args);
          if (dumps !== undefined) {
            dumped.open();
            await dumps.wait;
          }
          return result;
        };
      }
      if (property === 'batch') {
        return async (...args: unknown[]) => {
          const holding = batch;
          batch = undefined;
          if (holding !== undefined) {
            batching.open();
            await holding.wait;
          }
          return call(...args);
        };
      }
      return value;
    },
  });
  const factory = createVxlanBackend({
    netlink: held,
    random: (size) => new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]).subarray(0, size),
    logger: silentLogger,
    ticks: (signal) => ticks.source(signal),
    writeSysctl: async () => undefined,
    onReconcile: (report) => {
      reports.push(report);
      passes.notify(report);
    },
  });
  const config = await manager.getNetworkConfig();
  const backend = await factory({ subnetManager: manager, externalInterface: { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1' }, logger: silentLogger });
  const network: Network = await backend.registerNetwork({ config });
  const until = (check: () => boolean): Promise<void> => passes.until(check);
  for (const [subnet, publicIP, mac] of peers) remote(manager, subnet, publicIP, mac);
  const controller = new AbortController();
  const releaseAll = (): void => {
    dumps?.open();
    dumps = undefined;
    batch?.open();
    batch = undefined;
  };
  running.push({ controller, done: network.run(controller.signal), releaseAll });
  await until(() => reports.some((report) => report.mode === 'full'));
  // From here on `reports` holds the passes after the first full one.
  reports.splice(0);
  return {
    netlink,
    manager,
    ticks,
    reports,
    until,
    /** The entries on flannel.1 as `ip`/`bridge` commands, without the device itself. */
    entries: () => netlink.toCommands().filter((line) => !line.startsWith('ip link') && !line.startsWith('ip addr')),
    /** Holds the next full pass once it has read the kernel; resolves when it has, with the release. */
    async holdDumps(start: () => void): Promise<() => void> {
      dumps = gate();
      dumped = gate();
      start();
      await dumped.wait;
      const release = dumps;
      return () => {
        dumps = undefined;
        release.open();
      };
    },
    /** Holds the next batch; resolves when it is held, with the release. */
    async holdBatch(start: () => void): Promise<() => void> {
      const holding = gate();
      batch = holding;
      batching = gate();
      start();
      await batching.wait;
      return () => holding.open();
    },
    releaseAll,
  };
}

function remote(manager: MemorySubnetManager, subnet: string, publicIP: string, mac: string) {
  return manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }) } });
}

describe('vxlan network, periodic check beside lease events', () => {
  it('programs a lease added while the periodic check dumps flannel.1 before the check ends, and the check rewrites nothing', async () => {
    const h = await setup([['10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02']]);
    const release = await h.holdDumps(() => h.ticks.tick());
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.until(() => h.reports.length === 1);
    expect(h.reports[0]).toMatchObject({ mode: 'incremental', operations: 3, failed: 0 });
    expect(h.entries()).toContain('ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70');
    const calls = h.netlink.calls.length;
    release();
    await h.until(() => h.reports.length === 2);
    // The dump did not show the new peer; the journal did: nothing is written again.
    expect(h.reports[1]).toMatchObject({ mode: 'full', operations: 0, failed: 0, peers: 2 });
    expect(h.netlink.calls.length).toBe(calls);
  });

  it('does not delete again the entries of a lease removed while the check dumps flannel.1', async () => {
    const h = await setup([
      ['10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02'],
      ['10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03'],
    ]);
    const release = await h.holdDumps(() => h.ticks.tick());
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.35.0/24') });
    await h.until(() => h.reports.length === 1);
    expect(h.entries().some((line) => line.includes('10.5.35.0'))).toBe(false);
    const calls = h.netlink.calls.length;
    release();
    await h.until(() => h.reports.length === 2);
    expect(h.reports[1]).toMatchObject({ mode: 'full', operations: 0, failed: 0, peers: 1 });
    expect(h.netlink.calls.length).toBe(calls);
  });

  it('keeps the FDB entry of a VTEP MAC that an incremental pass removed during the dump and a lease taken in by the check reuses', async () => {
    // Node 192.168.1.2 (VTEP MAC …:02) moves from 10.5.34.0/24 to 10.5.36.0/24.
    const h = await setup([['10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02']]);
    const releaseDumps = await h.holdDumps(() => h.ticks.tick()); // the dump holds the FDB entry of …:02
    const releaseBatch = await h.holdBatch(() => h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') }));
    releaseDumps();
    await settle(); // the check now waits in beginApply() for that incremental pass
    remote(h.manager, '10.5.36.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02'); // read by the check, applied after it
    releaseBatch();
    await h.until(() => h.reports.length === 3);
    expect(h.reports.map((report) => report.mode)).toEqual(['incremental', 'full', 'incremental']);
    expect(h.entries().toSorted()).toEqual([
      'bridge fdb append aa:aa:aa:aa:aa:02 dev flannel.1 self dst 192.168.1.2 permanent',
      'ip neigh replace 10.5.36.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:02 nud permanent',
      'ip route add 10.5.36.0/24 via 10.5.36.0 dev flannel.1 onlink proto 70',
    ]);
  });

  it('holds a lease event back while the check applies, and programs it right after', async () => {
    const h = await setup([['10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02']]);
    await h.netlink.outside.deleteNeighbour({ family: 4, index: (await h.netlink.getLink('flannel.1')).index, address: '10.5.34.0' });
    // The check's repair is its only batch: held there, it is in its apply phase.
    const release = await h.holdBatch(() => h.ticks.tick());
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await settle();
    expect(h.reports).toHaveLength(0);
    release();
    await h.until(() => h.reports.length === 2);
    expect(h.reports.map((report) => `${report.mode} ${report.operations}`)).toEqual(['full 1', 'incremental 3']);
    expect(h.entries()).toHaveLength(6);
  });
});
