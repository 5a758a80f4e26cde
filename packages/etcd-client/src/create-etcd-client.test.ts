import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient, parseEndpoints } from './create-etcd-client.js';
import type { EtcdClient, WatchStream } from './etcd-client.js';
import type { WatchResponse } from './messages.js';
import { prefixRangeEnd } from './prefix-range-end.js';
import { startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';
import { etcdFailure } from './testing/etcd-failure.js';

let etcd: LocalEtcd;
let client: EtcdClient;
const key = (text: string): Buffer => Buffer.from(text);

beforeAll(async () => {
  etcd = await startLocalEtcd();
  client = createEtcdClient({ endpoints: [etcd.endpoint] });
});
afterAll(async () => {
  client?.close();
  await etcd?.close();
});

/** The next response of a watch iterator. */
async function next(iterator: AsyncIterator<WatchResponse>): Promise<WatchResponse> {
  const result = await iterator.next();
  if (result.done) throw new Error('watch ended');
  return result.value;
}

describe('createEtcdClient against a real etcd', () => {
  it('puts, ranges over a prefix and deletes', async () => {
    const put = await client.put({ key: key('/t/kv/a'), value: key('1') });
    await client.put({ key: key('/t/kv/b'), value: key('2') });
    const range = await client.range({ key: key('/t/kv/'), rangeEnd: prefixRangeEnd(key('/t/kv/')) });
    expect(range.kvs.map((kv) => `${String(kv.key)}=${String(kv.value)}`)).toEqual(['/t/kv/a=1', '/t/kv/b=2']);
    expect(range.header.revision).toBeGreaterThan(put.header.revision);
    const deleted = await client.deleteRange({ key: key('/t/kv/a'), prevKv: true });
    expect(deleted.deleted).toBe(1n);
    expect(String(deleted.prevKvs[0]?.value)).toBe('1');
    expect((await client.range({ key: key('/t/kv/a') })).kvs).toEqual([]);
  });

  it('serves 100 concurrent calls on one connection without a listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await Promise.all(Array.from({ length: 100 }, (_, i) => client.put({ key: key(`/c/many/${i}`), value: key(String(i)) })));
      const listed = await client.range({ key: key('/c/many/'), rangeEnd: prefixRangeEnd(key('/c/many/')), countOnly: true });
      expect(listed.count).toBe(100n);
      // Node emits process warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('runs a transaction whose comparison decides the branch', async () => {
    const create = (value: string) =>
      client.txn({
        compare: [{ key: key('/t/txn'), result: 'equal', target: 'createRevision', createRevision: 0n }],
        success: [{ put: { key: key('/t/txn'), value: key(value) } }],
        failure: [{ range: { key: key('/t/txn') } }],
      });
    expect((await create('first')).succeeded).toBe(true);
    const second = await create('second');
    expect(second.succeeded).toBe(false);
    const op = second.responses[0];
    expect(op && 'range' in op && String(op.range.kvs[0]?.value)).toBe('first');
  });

  it('grants, inspects and revokes a lease, and reports etcd’s message for an unknown one', async () => {
    const grant = await client.leaseGrant({ ttl: 60n });
    expect(grant.ttl).toBe(60n);
    await client.put({ key: key('/t/leased'), value: key('x'), lease: grant.id });
    const ttl = await client.leaseTimeToLive({ id: grant.id, keys: true });
    expect(ttl.grantedTtl).toBe(60n);
    expect(ttl.keys.map(String)).toEqual(['/t/leased']);
    await client.leaseRevoke({ id: grant.id });
    expect((await client.range({ key: key('/t/leased') })).kvs).toEqual([]);
    const error = await etcdFailure(client.leaseRevoke({ id: grant.id }));
    expect(error.code).toBe('REQUEST_FAILED');
    expect(error.message).toBe(`etcd Lease/LeaseRevoke on ${etcd.endpoint} failed: etcdserver: requested lease not found`);
  });

  it('watches: created, events in order, cancel', async () => {
    const watch = client.watch();
    const iterator = watch[Symbol.asyncIterator]();
    watch.send({ create: { key: key('/t/w/'), rangeEnd: prefixRangeEnd(key('/t/w/')), prevKv: true } });
    const created = await next(iterator);
    expect(created.created).toBe(true);
    await client.put({ key: key('/t/w/1'), value: key('a') });
    await client.put({ key: key('/t/w/1'), value: key('b') });
    await client.deleteRange({ key: key('/t/w/1') });
    const events = [];
    while (events.length < 3) events.push(...(await next(iterator)).events);
    expect(events.map((event) => `${event.type} ${String(event.kv.value)} prev=${String(event.prevKv?.value ?? '')}`)).toEqual([
      'put a prev=',
      'put b prev=a',
      'delete  prev=b',
    ]);
    watch.send({ cancel: { watchId: created.watchId } });
    const canceled = await next(iterator);
    expect(canceled.canceled).toBe(true);
    watch.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it('a watch from a compacted revision gets a response with compactRevision', async () => {
    const first = await client.put({ key: key('/t/c'), value: key('1') });
    const last = await client.put({ key: key('/t/c'), value: key('2') });
    await etcd.etcdctl(['compact', String(last.header.revision)]);
    const watch = client.watch();
    watch.send({ create: { key: key('/t/c'), startRevision: first.header.revision } });
    const responses: WatchResponse[] = [];
    for await (const response of watch) {
      responses.push(response);
      if (response.compactRevision !== 0n || response.canceled) break;
    }
    expect(responses.at(-1)?.compactRevision).toBe(last.header.revision);
  });

  it('queues requests sent before the stream connects and never drops responses', async () => {
    const fresh = createEtcdClient({ endpoints: [etcd.endpoint] });
    try {
      const watch = fresh.watch();
      for (let index = 1; index <= 20; index += 1) watch.send({ create: { key: key(`/t/q/${index}`) } });
      let created = 0;
      for await (const response of watch) {
        if (response.created) created += 1;
        if (created === 20) break;
      }
      expect(created).toBe(20);
    } finally {
      fresh.close();
    }
  });

  it('an aborted call rejects with ABORTED', async () => {
    const controller = new AbortController();
    const call = client.range({ key: key('/t/abort') }, { signal: controller.signal });
    controller.abort();
    expect((await etcdFailure(call)).code).toBe('ABORTED');
    const already = await etcdFailure(client.range({ key: key('/t') }, { signal: AbortSignal.abort() }));
    expect(already.code).toBe('ABORTED');
    expect((await client.range({ key: key('/t/abort') })).kvs).toEqual([]);
  });

  it('close rejects in-flight and later calls with CLOSED and ends watches', async () => {
    const closing = createEtcdClient({ endpoints: [etcd.endpoint] });
    await closing.put({ key: key('/t/close'), value: key('v') });
    const watch: WatchStream = closing.watch();
    watch.send({ create: { key: key('/t/close') } });
    const iterator = watch[Symbol.asyncIterator]();
    expect((await next(iterator)).created).toBe(true);
    const inFlight = closing.range({ key: key('/t/close') });
    closing.close();
    closing.close();
    expect((await etcdFailure(inFlight)).code).toBe('CLOSED');
    expect((await iterator.next()).done).toBe(true);
    const later = await etcdFailure(closing.put({ key: key('/t/close'), value: key('w') }));
    expect(later.code).toBe('CLOSED');
    expect(later.message).toMatch(/^etcd KV\/Put failed: the client is closed$/);
    expect((await closing.watch()[Symbol.asyncIterator]().next()).done).toBe(true);
  });

  it('rejects a request the codec cannot encode with an EtcdError naming the RPC', async () => {
    const error = await etcdFailure(client.leaseGrant({ ttl: -1n << 70n }));
    expect(error.code).toBe('REQUEST_FAILED');
    expect(error.message).toMatch(/^etcd Lease\/LeaseGrant failed: invalid request: /);
  });

  it('accepts host:port without a scheme, as etcdctl and clientv3 do', async () => {
    const schemeless = createEtcdClient({ endpoints: [etcd.endpoint.replace(/^http:\/\//, '')] });
    try {
      await schemeless.put({ key: key('/schemeless'), value: key('1') });
      expect(String((await schemeless.range({ key: key('/schemeless') })).kvs[0]?.value)).toBe('1');
    } finally {
      schemeless.close();
    }
  });

  it('takes host:port as https when TLS material is configured, http otherwise (clientv3)', () => {
    expect(parseEndpoints(['10.0.0.1:2379', 'etcd.example:2379']).map(String)).toEqual(['http://10.0.0.1:2379/', 'http://etcd.example:2379/']);
    expect(parseEndpoints(['10.0.0.1:2379', 'http://10.0.0.2:2379'], { tls: true }).map(String)).toEqual(['https://10.0.0.1:2379/', 'http://10.0.0.2:2379/']);
    expect(parseEndpoints(['[fd00::1]:2379']).map((url) => url.origin)).toEqual(['http://[fd00::1]:2379']);
  });

  it('rejects bad options with a message naming the value and the rule', () => {
    expect(() => createEtcdClient({ endpoints: [] })).toThrow(/etcd endpoints \[\] is invalid/);
    expect(() => createEtcdClient({ endpoints: ['unix:///x'] })).toThrow(
      'etcd endpoint "unix://" is invalid: the scheme must be http or https (http://host:port, https://host:port or host:port)',
    );
    expect(() => createEtcdClient({ endpoints: ['[::1'] })).toThrow('etcd endpoint "[::1" is invalid: must be http://host:port, https://host:port or host:port');
    expect(() => createEtcdClient({ endpoints: [etcd.endpoint], dialTimeoutMs: -1 })).toThrow(/dialTimeoutMs -1 is invalid/);
  });
});
