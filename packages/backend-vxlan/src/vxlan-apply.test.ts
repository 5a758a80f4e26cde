import { IpNet, silentLogger } from '@flannel-ts/core';
import type { Lease, Logger } from '@flannel-ts/core';
import type { BatchResult, NetlinkOperation } from '@flannel-ts/netlink';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { RecordingNetlink } from '@flannel-ts/netlink/testing';
import { ChangeSummary, OnceLog } from '@flannel-ts/route-network';
import { describe, expect, it } from 'vitest';
import { applyVxlanDiff, VXLAN_BATCH_SIZE } from './vxlan-apply.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import { desiredVxlanState, diffVxlanState, ownedVxlanEntries } from './vxlan-state.js';
import type { VxlanDeviceRef } from './vxlan-state.js';

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number): string => n.toString(16).padStart(2, '0');

function lease(n: number, macByte: number, publicHost: number): Lease {
  return {
    enableIPv4: true,
    enableIPv6: false,
    subnet: IpNet.parse(`10.5.${n}.0/24`),
    attributes: {
      publicIP: `192.168.1.${publicHost}`,
      backendType: 'vxlan',
      backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: `aa:00:00:00:${hex(n)}:${hex(macByte)}` }),
    },
  };
}

async function setup(): Promise<{ netlink: RecordingNetlink; device: VxlanDeviceRef }> {
  const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
  const link = await netlink.addLink({ kind: 'vxlan', name: 'flannel.1', hardwareAddress: '02:00:00:00:00:01', up: true, vxlan: { vni: 1, underlayIndex: 2, local: '192.168.1.1', learning: false } });
  return { netlink, device: { family: 4, index: link.index } };
}

async function owned(netlink: RecordingNetlink, device: VxlanDeviceRef) {
  const [neighbours, fdb, routes] = await Promise.all([
    netlink.listNeighbours({ family: 4, index: device.index }),
    netlink.listFdb({ index: device.index }),
    netlink.listRoutes({ family: 4 }),
  ]);
  return ownedVxlanEntries({ neighbours, fdb, routes }, { device });
}

describe('applyVxlanDiff', () => {
  it('converges from any kernel state in one pass, whatever order leases come and go in', async () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const random = prng(seed);
      const { netlink, device } = await setup();
      // A random earlier state: leases that may be gone now, or whose VTEP MAC or PublicIP changed since.
      const before = Array.from({ length: 8 }, (_, n) => lease(n + 1, 1, n + 10)).filter(() => random() < 0.6);
      for (const peer of desiredVxlanState(before, device).peers) {
        if (random() < 0.8) await netlink.outside.replaceNeighbour(peer.neighbour!);
        if (random() < 0.8) await netlink.outside.replaceFdb(peer.fdb!);
        if (random() < 0.8) await netlink.outside.replaceRoute(peer.route);
      }
      const now = Array.from({ length: 8 }, (_, n) => lease(n + 1, random() < 0.3 ? 2 : 1, random() < 0.2 ? n + 50 : n + 10))
        .filter(() => random() < 0.6)
        .sort(() => random() - 0.5);
      const desired = desiredVxlanState(now, device);
      const result = await applyVxlanDiff(netlink, diffVxlanState(desired, await owned(netlink, device)), silentLogger);
      expect(result.failed, `seed ${seed}`).toBe(0);
      const again = diffVxlanState(desired, await owned(netlink, device));
      expect(again, `seed ${seed}`).toEqual({ staleRoutes: [], peers: [], staleFdb: [], staleNeighbours: [] });

      const clean = await setup();
      await applyVxlanDiff(clean.netlink, diffVxlanState(desiredVxlanState(now, clean.device), await owned(clean.netlink, clean.device)), silentLogger);
      expect(netlink.toCommands(), `seed ${seed}`).toEqual(clean.netlink.toCommands());
    }
  });

  it('rolls back what it wrote for a peer whose FDB entry is refused', async () => {
    const { netlink, device } = await setup();
    netlink.failNext({ operation: 'replaceFdb', errno: 'ENOBUFS' });
    const desired = desiredVxlanState([lease(1, 1, 10)], device);
    const result = await applyVxlanDiff(netlink, diffVxlanState(desired, await owned(netlink, device)), silentLogger);
    expect(result).toEqual({ operations: 3, failed: 1, failedPeers: ['10.5.1.0/24'] });
    expect(netlink.callNames().slice(-5)).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute', 'deleteRoute', 'deleteNeighbour']);
    expect(netlink.toCommands().filter((line) => !line.startsWith('ip link'))).toEqual([]);
  });

  it('streams batch calls of at most VXLAN_BATCH_SIZE operations, never splitting a peer, in neighbour → FDB → route order', async () => {
    const { netlink, device } = await setup();
    const count = VXLAN_BATCH_SIZE; // 3 operations each: spans several calls, and 512 is not a multiple of 3
    const leases = Array.from({ length: count }, (_, n) => ({ ...lease(0, 1, 10), subnet: IpNet.parse(`10.${6 + (n >> 8)}.${n & 0xff}.0/24`), attributes: { ...lease(0, 1, 10).attributes, backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: `aa:00:00:01:${hex(n >> 8)}:${hex(n & 0xff)}` }) } }));
    const calls: (readonly NetlinkOperation[])[] = [];
    const spy = { batch: (operations: readonly NetlinkOperation[]): Promise<BatchResult[]> => (calls.push(operations), netlink.batch(operations)) };
    const result = await applyVxlanDiff(spy, diffVxlanState(desiredVxlanState(leases, device), await owned(netlink, device)), silentLogger);
    expect(result).toEqual({ operations: 3 * count, failed: 0, failedPeers: [] });
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(VXLAN_BATCH_SIZE);
      expect(call.length % 3).toBe(0);
      for (let i = 0; i < call.length; i += 3) expect(call.slice(i, i + 3).map((o) => o.op)).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute']);
    }
    expect(calls.flat()).toHaveLength(3 * count);
  });

  it('logs each programmed peer at debug and one info summary per pass', async () => {
    const { netlink, device } = await setup();
    const lines: { level: string; message: string }[] = [];
    const log = (level: string) => (fields: unknown, message?: string) => void lines.push({ level, message: message ?? String(fields) });
    const logger: Logger = { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger };
    const desired = desiredVxlanState([lease(1, 1, 10), lease(2, 1, 11), lease(3, 1, 12)], device);
    await applyVxlanDiff(netlink, diffVxlanState(desired, await owned(netlink, device)), logger);
    expect(lines.filter((line) => line.level === 'debug')).toHaveLength(3);
    expect(lines.filter((line) => line.level === 'info')).toEqual([{ level: 'info', message: 'programmed 3 peer(s)' }]);
  });
});

describe('applyVxlanDiff logging', () => {
  it('warns about a refused peer once across passes and sums changes up through the summary (issue 9 item 7)', async () => {
    const { netlink, device } = await setup();
    const warnings: string[] = [];
    const infos: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (_fields: unknown, message: string) => void warnings.push(message),
      info: (_fields: unknown, message: string) => void infos.push(message),
    } as unknown as Logger;
    const once = new OnceLog(logger);
    const summary = new ChangeSummary(logger, { what: 'vxlan peer(s) programmed', now: () => 0 });
    const refusing = {
      batch: async (operations: readonly NetlinkOperation[]): Promise<BatchResult[]> => {
        const results = await netlink.batch(operations);
        return results.map((result, i) => {
          const operation = operations[i]!;
          return operation.op === 'replaceFdb' && operation.entry.hardwareAddress.endsWith(':02:02')
            ? { ok: false as const, error: Object.assign(new Error('Operation not supported'), { errnoName: 'EOPNOTSUPP' }) }
            : result;
        });
      },
    };
    for (let pass = 0; pass < 5; pass += 1) {
      once.beginFullPass();
      const desired = desiredVxlanState([lease(1, 1, 11), lease(2, 2, 12)], device);
      await applyVxlanDiff(refusing, diffVxlanState(desired, await owned(netlink, device)), logger, { once, summary, mode: 'full' });
      once.endFullPass();
    }
    expect(warnings).toEqual(['could not program 10.5.2.0/24: replaceFdb: Operation not supported']);
    // One line per full pass that changed something, none for the passes that only met the refusal again.
    expect(infos.length).toBeLessThanOrEqual(2);
    expect(infos[0]).toBe('1 vxlan peer(s) programmed, 0 removed');
  });
});
