import { silentLogger } from '@flannel-ts/core';
import { recordingLogger } from '@flannel-ts/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { createEtcdClient } from './etcd-client.js';
import { EtcdRegistry } from './etcd-registry.js';
import { watchRange, type RawWatchItem } from './watch-range.js';

let etcd: LocalEtcd;
beforeAll(async () => {
  // Progress notifications every 200 ms (etcd's default is 10 minutes) for the resume-revision test.
  etcd = await startLocalEtcd({ extraArgs: ['--experimental-watch-progress-notify-interval=200ms'] });
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

  it('reconnects after etcd restarts and resumes after the last delivered revision: nothing lost, nothing repeated', async () => {
    const registry = registryFor('/wr3');
    const { revision } = await registry.listSubnets();
    const controller = new AbortController();
    const logger = recordingLogger();
    // A long first backoff: the write below lands while the watch is away, so only a resume from a revision finds it.
    const iterator = watchRange({
      registry,
      key: registry.subnetsPrefix,
      prefix: true,
      startRevision: revision + 1n,
      signal: controller.signal,
      logger,
      initialBackoff: 1_000,
    })[Symbol.asyncIterator]();
    await registry.createSubnet('10.5.3.0-24', '{"PublicIP":"1.1.1.3"}', 0);
    const before = await take(iterator, (seen) => eventCount(seen) >= 1);
    await etcd.stop();
    await etcd.start();
    await registry.createSubnet('10.5.4.0-24', '{"PublicIP":"1.1.1.4"}', 0);
    const after = await take(iterator, (seen) => eventCount(seen) >= 1);
    const names = [...before, ...after].flatMap((item) => (item.kind === 'events' ? item.events.map((event) => event.entry.name) : []));
    expect(names).toEqual(['10.5.3.0-24', '10.5.4.0-24']);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.fields.code)).toEqual(['UNAVAILABLE']);
    controller.abort();
    registry.client.close();
  });

  it('resumes from a progress notification’s revision, past history compacted meanwhile', async () => {
    const registry = registryFor('/wr4');
    const { revision } = await registry.listSubnets();
    const controller = new AbortController();
    const items: RawWatchItem[] = [];
    const watching = (async () => {
      for await (const item of watchRange({
        registry,
        key: registry.subnetsPrefix,
        prefix: true,
        startRevision: revision + 1n,
        signal: controller.signal,
        logger: silentLogger,
      })) items.push(item);
    })();
    // Writes outside the watched prefix move the revision on; only progress notifications tell the watch.
    const other = registryFor('/wr4-other');
    let latest = revision;
    for (let index = 0; index < 3; index += 1) latest = (await other.createSubnet(`10.5.${10 + index}.0-24`, '{}', 0)).revision;
    // Notifications come every 200 ms and are not observable from outside: wait for a few.
    await new Promise((resolve) => setTimeout(resolve, 800));
    await etcd.etcdctl(['compact', latest.toString(), '--physical']);
    await etcd.stop();
    await etcd.start();
    // Resuming at the notified revision is above the compaction: no `compacted` item, and the next put arrives.
    await registry.createSubnet('10.5.5.0-24', '{}', 0);
    while (!items.some((item) => item.kind === 'events')) await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await watching;
    expect(items.map((item) => (item.kind === 'events' ? item.events.map((event) => event.entry.name) : item.kind))).toEqual([['10.5.5.0-24']]);
    registry.client.close();
    other.client.close();
  });

  it('turns a watch etcd cancels (permission denied) into a typed error it logs with its code, and keeps retrying', async () => {
    await using secured = await startLocalEtcd();
    await secured.etcdctl(['user', 'add', 'root', '--new-user-password=root-pw']);
    await secured.etcdctl(['user', 'add', 'outsider', '--new-user-password=outsider-pw']);
    await secured.etcdctl(['auth', 'enable']);
    const registry = new EtcdRegistry(
      createEtcdClient({ endpoints: secured.endpoint, username: 'outsider', password: 'outsider-pw' }, silentLogger),
      '/wr5',
    );
    const controller = new AbortController();
    const logger = recordingLogger();
    const watching = (async () => {
      for await (const item of watchRange({
        registry,
        key: registry.subnetsPrefix,
        prefix: true,
        startRevision: 1n,
        signal: controller.signal,
        logger,
        initialBackoff: 10,
        maxBackoff: 10,
      })) throw new Error(`unexpected ${item.kind}`);
    })();
    while (logger.lines.filter((line) => line.level === 'warn').length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await watching;
    const warning = logger.lines.find((line) => line.level === 'warn');
    expect(warning?.fields.code).toBe('PERMISSION_DENIED');
    expect(warning?.message).toMatch(/canceled by etcd: .*etcdserver: permission denied/);
    expect(JSON.stringify(logger.lines)).not.toContain('outsider-pw');
    registry.client.close();
  });
});
