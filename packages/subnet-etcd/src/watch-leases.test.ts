import { leaseAttributes, type LeaseWatchResult } from '@flannel-ts/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { createEtcdSubnetManager, type EtcdSubnetManager } from './etcd-subnet-manager.js';
import type { EtcdSubnetManagerOptions } from './etcd-subnet-manager-options.js';
import { deleteKey, grantLease, putKey } from './test-support/etcd-writes.js';

const LEASES = 200;
let etcd: LocalEtcd;
let writer: EtcdSubnetManager;
const prefix = '/snapshot-requests/coreos.com/network';

beforeAll(async () => {
  etcd = await startLocalEtcd();
  writer = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix });
  await putKey(writer.client, `${prefix}/config`, '{"Network":"10.0.0.0/8"}');
  // As flanneld writes them: every key on its own 24 h etcd lease.
  await Promise.all(
    Array.from({ length: LEASES }, async (_, index) => {
      const granted = await grantLease(writer.client, 86_400);
      const value = leaseAttributes.encode({ publicIP: `172.16.0.${index}`, backendType: 'vxlan' });
      await putKey(writer.client, `${prefix}/subnets/10.1.${index}.0-24`, value, granted);
    }),
  );
});
afterAll(async () => {
  await writer?.close();
  await etcd?.close();
});

/** Takes the first snapshot of a fresh manager, counting the etcd requests its client makes. */
async function countedSnapshot(options: Partial<EtcdSubnetManagerOptions>): Promise<{ leases: number; subnetRanges: number; ranges: number; timeToLives: number }> {
  const manager = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix, ...options });
  const range = vi.spyOn(manager.client, 'range');
  const timeToLive = vi.spyOn(manager.client, 'leaseTimeToLive');
  const controller = new AbortController();
  try {
    const first = await manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]().next();
    const subnetsKey = Buffer.from(`${prefix}/subnets/`);
    return {
      leases: first.value?.kind === 'snapshot' ? first.value.leases.length : -1,
      subnetRanges: range.mock.calls.filter(([request]) => request.key?.equals(subnetsKey)).length,
      ranges: range.mock.calls.length,
      timeToLives: timeToLive.mock.calls.length,
    };
  } finally {
    controller.abort();
    await manager.close();
  }
}

describe('watchLeases snapshot', () => {
  it('of 200 leases is one range request and no LeaseTimeToLive call by default', async () => {
    // The other range request reads <prefix>/config.
    expect(await countedSnapshot({})).toEqual({ leases: LEASES, subnetRanges: 1, ranges: 2, timeToLives: 0 });
  });

  it('costs one LeaseTimeToLive per etcd lease with watchExpirations', async () => {
    expect(await countedSnapshot({ watchExpirations: true })).toEqual({ leases: LEASES, subnetRanges: 1, ranges: 2, timeToLives: LEASES });
  });
});

describe('watchLeases after acquireLease', () => {
  it("takes the acquisition's listing as its snapshot: no second read, own lease in it, own writes not repeated, others' changes delivered", async () => {
    const subnetsKey = Buffer.from(`${prefix}/subnets/`);
    const first = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix });
    const again = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix });
    const controller = new AbortController();
    const extra = `${prefix}/subnets/10.2.0.0-24`;
    try {
      const own = await first.acquireLease({ publicIP: '192.168.77.1', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"0e:00:00:00:00:01"}' });
      // The same node again (reuse by PublicIP): an update of the key it just created, with new attributes.
      const reused = await again.acquireLease({ publicIP: '192.168.77.1', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"0e:00:00:00:00:02"}' });
      expect(reused.subnet?.toString()).toBe(own.subnet?.toString());
      // Another node writes after the listing was read: the watch delivers it as an event.
      await putKey(writer.client, extra, leaseAttributes.encode({ publicIP: '172.17.0.1', backendType: 'vxlan' }));

      const range = vi.spyOn(again.client, 'range');
      const iterator = again.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
      const snapshot = (await iterator.next()).value as LeaseWatchResult;
      expect(range.mock.calls.filter(([request]) => request.key?.equals(subnetsKey))).toHaveLength(0);
      expect(snapshot.kind).toBe('snapshot');
      const leases = snapshot.kind === 'snapshot' ? snapshot.leases : [];
      expect(leases).toHaveLength(LEASES + 1);
      const mine = leases.find((lease) => lease.subnet?.equals(own.subnet));
      expect(mine?.attributes.backendData).toBe('{"VNI":1,"VtepMAC":"0e:00:00:00:00:02"}');
      expect(mine?.expiration).toEqual(reused.expiration);
      expect(mine?.revision).toBe(reused.revision);
      expect(leases.map((lease) => lease.subnet?.toString())).not.toContain('10.2.0.0/24');

      const next = (await iterator.next()).value as LeaseWatchResult;
      expect(next.kind === 'events' && next.events.map((event) => [event.type, event.lease.subnet?.toString()])).toEqual([['added', '10.2.0.0/24']]);
      // A later watch reads etcd again.
      const later = again.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
      await later.next();
      expect(range.mock.calls.filter(([request]) => request.key?.equals(subnetsKey))).toHaveLength(1);
      await deleteKey(writer.client, `${prefix}/subnets/${own.subnet?.address}-24`);
    } finally {
      controller.abort();
      await deleteKey(writer.client, extra);
      await Promise.all([first.close(), again.close()]);
    }
  });
});
