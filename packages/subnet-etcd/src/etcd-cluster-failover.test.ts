import type { LeaseEvent, LeaseWatchResult } from '@flannel-ts/core';
import { startEtcd } from '@flannel-ts/testlab';
import { describe, expect, it } from 'vitest';
import { createEtcdSubnetManager } from './etcd-subnet-manager.js';

async function nextEvents(iterator: AsyncIterator<LeaseWatchResult>, count: number): Promise<LeaseEvent[]> {
  const events: LeaseEvent[] = [];
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.kind === 'events') events.push(...next.value.events);
  }
  return events;
}

describe('etcd subnet manager on a 3-member cluster', () => {
  it('keeps renewing and watching when the leader is killed, losing no lease', async () => {
    await using cluster = await startEtcd({ members: 3 });
    const prefix = '/failover/coreos.com/network';
    await cluster.put(`${prefix}/config`, '{"Network":"10.20.0.0/16"}');
    const first = createEtcdSubnetManager({ endpoints: cluster.endpoints, prefix });
    const second = createEtcdSubnetManager({ endpoints: cluster.endpoints, prefix });
    const controller = new AbortController();
    try {
      const lease = await first.acquireLease({ publicIP: '192.168.10.1' });
      const iterator = first.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
      const snapshot = await iterator.next();
      expect(snapshot.value?.kind).toBe('snapshot');
      const completion = first.completeLease(lease, { signal: controller.signal });

      await cluster.kill(await cluster.leader());
      await cluster.leader(); // the two survivors elect a new one

      const renewed = await first.renewLease(lease);
      const other = await second.acquireLease({ publicIP: '192.168.10.2' });
      const events = await nextEvents(iterator, 2);
      expect(events.map((event) => [event.type, event.lease.subnet?.toString()])).toEqual([
        ['added', renewed.subnet?.toString()],
        ['added', other.subnet?.toString()],
      ]);

      const keys = (await cluster.etcdctl(['get', '--prefix', '--keys-only', `${prefix}/subnets/`])).stdout;
      expect(keys.split('\n').filter((line) => line.length > 0).sort()).toEqual(
        [`${prefix}/subnets/${lease.subnet?.address}-24`, `${prefix}/subnets/${other.subnet?.address}-24`].sort(),
      );
      controller.abort();
      await expect(completion).resolves.toBeUndefined();
    } finally {
      controller.abort();
      await first.close();
      await second.close();
    }
  });
});
