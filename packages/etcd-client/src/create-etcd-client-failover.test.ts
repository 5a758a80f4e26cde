import { startEtcd, type EtcdCluster } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import { freePort } from './testing/local-etcd.js';

let cluster: EtcdCluster;
const key = (text: string): Buffer => Buffer.from(text);

beforeAll(async () => {
  cluster = await startEtcd({ members: 3 });
});
afterAll(async () => {
  await cluster?.close();
});

describe('createEtcdClient failover', () => {
  it('skips a dead first endpoint', async () => {
    const client = createEtcdClient({ endpoints: [`http://127.0.0.1:${await freePort()}`, ...cluster.clientUrls] });
    try {
      await client.put({ key: key('/f/dead-first'), value: key('1') });
      expect(String((await client.range({ key: key('/f/dead-first') })).kvs[0]?.value)).toBe('1');
    } finally {
      client.close();
    }
  });

  it('keeps working through the other members when the one in use stops', async () => {
    const client = createEtcdClient({ endpoints: cluster.clientUrls });
    try {
      await client.put({ key: key('/f/k'), value: key('before') });
      await cluster.stop(0);
      // Member 0 was in use: the range (idempotent) and the put (not yet sent: the session is gone) move on.
      expect(String((await client.range({ key: key('/f/k') })).kvs[0]?.value)).toBe('before');
      await client.put({ key: key('/f/k'), value: key('after') });
      expect(String((await client.range({ key: key('/f/k') })).kvs[0]?.value)).toBe('after');
      const watch = client.watch();
      watch.send({ create: { key: key('/f/k') } });
      for await (const response of watch) {
        expect(response.created).toBe(true);
        break;
      }
    } finally {
      client.close();
      await cluster.restart(0);
    }
  });

  it('ends a requireLeader watch when its member loses the leader, and starts the next one elsewhere', async () => {
    const client = createEtcdClient({ endpoints: cluster.clientUrls });
    let stopped = false;
    try {
      const watch = client.watch({ requireLeader: true });
      watch.send({ create: { key: key('/f/leader') } });
      const responses = watch[Symbol.asyncIterator]();
      expect((await responses.next()).value).toMatchObject({ created: true });
      // Members 1 and 2 gone: member 0 is alone, without a majority, and drops its leader.
      stopped = true;
      await Promise.all([cluster.stop(1), cluster.stop(2)]);
      const error = await responses.next().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect((error as Error).message).toMatch(/no leader/);
      await Promise.all([cluster.restart(1), cluster.restart(2)]);
      stopped = false;
      // The next watch starts at member 1 (member 0 failed); it is created there.
      const again = client.watch({ requireLeader: true });
      again.send({ create: { key: key('/f/leader') } });
      for await (const response of again) {
        expect(response.created).toBe(true);
        break;
      }
    } finally {
      client.close();
      if (stopped) await Promise.all([cluster.restart(1), cluster.restart(2)]);
    }
  });

  it('fails with UNAVAILABLE naming the endpoint when no member answers', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const client = createEtcdClient({ endpoints: [dead] });
    try {
      const error = await client.range({ key: key('/f') }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect((error as Error).message).toMatch(new RegExp(`^etcd KV/Range on ${dead} failed: connect ECONNREFUSED`));
    } finally {
      client.close();
    }
  });
});
