import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import { startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';

// etcd splits a watch response larger than --max-request-bytes into parts when the watch asked for
// `fragment`; clientv3's watch.go joins them. With a 1 KiB limit, 8 keys of 200-byte values (each put under
// the limit) deleted at once and watched with prev_kv make one revision of about 2 KiB: several parts on the
// wire, one response to the caller.
let etcd: LocalEtcd;
beforeAll(async () => {
  etcd = await startLocalEtcd({ extraArgs: ['--max-request-bytes=1024'] });
});
afterAll(async () => {
  await etcd?.close();
});

describe('createEtcdClient watch fragments', () => {
  it('delivers a fragmented revision as one response with every event', async () => {
    const client = createEtcdClient({ endpoints: [etcd.endpoint] });
    try {
      const keys = Array.from({ length: 8 }, (_, index) => Buffer.from(`/frag/${index}`));
      const value = Buffer.alloc(200, 'v');
      for (const key of keys) await client.put({ key, value });
      const watch = client.watch();
      watch.send({ create: { key: Buffer.from('/frag/'), rangeEnd: Buffer.from('/frag0'), prevKv: true, fragment: true } });
      const responses = watch[Symbol.asyncIterator]();
      expect((await responses.next()).value).toMatchObject({ created: true });
      const { header } = await client.deleteRange({ key: Buffer.from('/frag/'), rangeEnd: Buffer.from('/frag0') });
      const next = await responses.next();
      expect(next.done).toBe(false);
      expect(next.value).toMatchObject({ fragment: false, header: { revision: header.revision } });
      expect((next.value as { events: { kv: { key: Buffer } }[] }).events.map((event) => String(event.kv.key))).toEqual(keys.map(String));
      watch.close();
    } finally {
      client.close();
    }
  });
});
