import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { createNetlink } from './kernel-netlink.js';
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
});
