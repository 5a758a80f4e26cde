import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { createNetlink } from './kernel-netlink.js';
import { NetlinkError } from './errors.js';
import type { Netlink, NetlinkEvent } from './netlink.js';

describe.skipIf(!isRoot)(`subscribe (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let netlink: Netlink;
  beforeEach(async () => {
    ns = createTestNetns('event');
    netlink = await createNetlink({ netns: { name: ns.name } });
  });
  afterEach(async () => {
    await netlink.close();
    ns.remove();
  });

  it('delivers link, route and neighbour events of the namespace, and ends when aborted', async () => {
    const controller = new AbortController();
    const seen: NetlinkEvent[] = [];
    const events = netlink.subscribe(['link', 'ipv4-route', 'neighbour'], { signal: controller.signal });
    const iterator = events[Symbol.asyncIterator]();
    const first = iterator.next(); // opens the socket and joins the groups before anything changes
    await new Promise((resolve) => setImmediate(resolve));
    const br = await netlink.addLink({ name: 'br0', kind: 'bridge', up: true });
    await netlink.addRoute({ family: 4, destination: '10.77.0.0/24', index: br.index, scope: 'link' });
    await netlink.replaceNeighbour({ family: 4, index: br.index, address: '10.77.0.5', hardwareAddress: '02:cc:00:00:00:05' });
    await netlink.deleteLink(br.index);
    let result = await first;
    while (!result.done) {
      seen.push(result.value);
      if (result.value.type === 'dellink' && result.value.link.name === 'br0') controller.abort();
      result = await iterator.next();
    }
    const types = seen.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['newlink', 'newroute', 'newneigh', 'dellink']));
    expect(seen.find((e) => e.type === 'newroute')).toMatchObject({ route: { destination: '10.77.0.0/24' } });
  });

  it('ends at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const collected: NetlinkEvent[] = [];
    for await (const event of netlink.subscribe(['link'], { signal: controller.signal })) collected.push(event);
    expect(collected).toEqual([]);
  });

  it('ends a subscription when the Netlink is closed', async () => {
    const other = await createNetlink({ netns: { name: ns.name } });
    const events = other.subscribe(['link'], { signal: new AbortController().signal })[Symbol.asyncIterator]();
    const next = events.next();
    await other.close();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('listens from the subscribe() call: changes made before the first next() are delivered', async () => {
    const controller = new AbortController();
    const events = netlink.subscribe(['link'], { signal: controller.signal });
    await netlink.addLink({ name: 'br-early', kind: 'bridge' });
    for await (const event of events) {
      if (event.type === 'newlink' && event.link.name === 'br-early') break; // found: the loop ends (return())
    }
    controller.abort();
  });

  it('keeps only the events the filter accepts (route events of other tables, e.g. local 255, left out)', async () => {
    const controller = new AbortController();
    const tables: number[] = [];
    const events = netlink.subscribe(['ipv4-route'], {
      signal: controller.signal,
      filter: (event) => !('route' in event) || event.route.table === 254,
    });
    const br = await netlink.addLink({ name: 'br0', kind: 'bridge', up: true });
    await netlink.addAddress({ family: 4, index: br.index, address: '10.78.0.1', prefixLength: 24 }); // local-table routes
    await netlink.addRoute({ family: 4, destination: '10.79.0.0/24', gateway: '10.78.0.2', index: br.index });
    for await (const event of events) {
      if (event.type !== 'newroute') continue;
      tables.push(event.route.table ?? 0);
      if (event.route.destination === '10.79.0.0/24') break;
    }
    controller.abort();
    expect(new Set(tables)).toEqual(new Set([254]));
  });

  it('fails with ENOBUFS, after the events queued before, when more than maxQueuedEvents wait', async () => {
    const controller = new AbortController();
    const events = netlink.subscribe(['link'], { signal: controller.signal, maxQueuedEvents: 2 })[Symbol.asyncIterator]();
    for (const name of ['br1', 'br2', 'br3', 'br4']) await netlink.addLink({ name, kind: 'bridge' });
    const delivered: string[] = [];
    let failure: unknown;
    try {
      for (;;) {
        const result = await events.next();
        if (result.done) break;
        if (result.value.type === 'newlink') delivered.push(result.value.link.name);
      }
    } catch (error) {
      failure = error;
    }
    expect(delivered).toEqual(['br1', 'br2']);
    expect(failure).toBeInstanceOf(NetlinkError);
    expect(failure).toMatchObject({ errnoName: 'ENOBUFS', operation: 'subscribe' });
    expect(await events.next()).toEqual({ done: true, value: undefined });
    controller.abort();
  });

  it('8 idle subscriptions share one libuv pool thread: fs.promises.readFile is not held up', async () => {
    // The pool has 4 threads by default. Subscriptions that each waited in a pool thread would take all 4 and queue
    // every fs operation behind their poll slices, so 50 reads would take many seconds; with one shared poll for
    // all of them, 3 threads stay free and the reads take milliseconds. The deadline is a liveness bound with a
    // wide margin, not a timing.
    const controller = new AbortController();
    const subscriptions = Array.from({ length: 8 }, () => netlink.subscribe(['link', 'ipv4-route', 'neighbour'], { signal: controller.signal }));
    const iterations = subscriptions.map(async (events) => {
      for await (const event of events) void event;
    });
    await netlink.findLink('lo'); // the subscriptions are idle now
    let reads = 0;
    const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), 10_000).unref());
    const readAll = (async () => {
      for (let i = 0; i < 50; i++) {
        await readFile(new URL(import.meta.url));
        reads++;
      }
      return 'done' as const;
    })();
    expect(await Promise.race([readAll, deadline])).toBe('done');
    expect(reads).toBe(50);
    controller.abort();
    await Promise.all(iterations);
  });
});
