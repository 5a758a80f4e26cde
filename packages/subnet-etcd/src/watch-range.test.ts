import { silentLogger } from '@flannel-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { createEtcdClient } from './etcd-client.js';
import { EtcdRegistry } from './etcd-registry.js';
import { watchRange, type RawWatchItem } from './watch-range.js';

let etcd: LocalEtcd;
beforeAll(async () => {
  etcd = await startLocalEtcd();
});
afterAll(async () => {
  await etcd?.close();
});

function registryFor(prefix: string): EtcdRegistry {
  return new EtcdRegistry(createEtcdClient({ endpoints: etcd.endpoint }, silentLogger), prefix);
}

/** Reads items until `enough` says so (or the watch ends). */
async function take(iterator: AsyncIterator<RawWatchItem>, enough: (items: RawWatchItem[]) => boolean): Promise<RawWatchItem[]> {
  const items: RawWatchItem[] = [];
  while (!enough(items)) {
    const next = await iterator.next();
    if (next.done) break;
    items.push(next.value);
  }
  return items;
}

const eventCount = (items: RawWatchItem[]): number =>
  items.reduce((sum, item) => sum + (item.kind === 'events' ? item.events.length : 0), 0);

describe('watchRange', () => {
  it('delivers puts and deletes after the start revision, in order', async () => {
    const registry = registryFor('/wr1');
    const { revision } = await registry.listSubnets();
    const controller = new AbortController();
    const iterator = watchRange({
      registry,
      key: registry.subnetsPrefix,
      prefix: true,
      startRevision: revision + 1n,
      signal: controller.signal,
      logger: silentLogger,
    })[Symbol.asyncIterator]();
    await registry.createSubnet('10.5.1.0-24', '{"PublicIP":"1.1.1.1"}', 60);
    await registry.deleteSubnet('10.5.1.0-24');
    const items = await take(iterator, (seen) => eventCount(seen) >= 2);
    const events = items.flatMap((item) => (item.kind === 'events' ? item.events : []));
    expect(events.map((event) => [event.type, event.entry.name])).toEqual([
      ['put', '10.5.1.0-24'],
      ['delete', '10.5.1.0-24'],
    ]);
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
    registry.client.close();
  });

  it('reports compaction when the start revision is gone', async () => {
    const registry = registryFor('/wr2');
    const first = await registry.createSubnet('10.5.2.0-24', '{}', 0);
    await registry.updateSubnet('10.5.2.0-24', '{"a":1}', 0);
    const latest = await registry.updateSubnet('10.5.2.0-24', '{"a":2}', 0);
    await etcd.etcdctl(['compact', latest.revision.toString(), '--physical']);
    const controller = new AbortController();
    const items = await take(
      watchRange({
        registry,
        key: registry.subnetsPrefix,
        prefix: true,
        startRevision: first.revision,
        signal: controller.signal,
        logger: silentLogger,
      })[Symbol.asyncIterator](),
      (seen) => seen.length >= 1,
    );
    expect(items).toEqual([{ kind: 'compacted', compactRevision: latest.revision }]);
    controller.abort();
    registry.client.close();
  });
});
