import { describe, expect, it } from 'vitest';
import { NetlinkError, NetlinkInvalidArgumentError, NetlinkNotFoundError } from '../errors.js';
import type { NetlinkEvent } from '../netlink.js';
import type { FdbEntry, Neighbour, Route } from '../types.js';
import { createRecordingNetlink, runNetlinkScenario, type RecordingNetlink } from './index.js';

const REMOTE_MAC = 'c6:d2:32:6f:8f:44';

/** A host with eth0 10.0.0.1/24 and a default route, like a flannel node. */
function host(): RecordingNetlink {
  return createRecordingNetlink({
    links: [{ name: 'eth0', addresses: ['10.0.0.1/24'] }],
    routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '10.0.0.254' }],
  });
}

/** What the vxlan backend does on start: device, /32 address, up. */
async function flannelDevice(netlink: RecordingNetlink): Promise<number> {
  const link = await netlink.addLink({
    name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: '0e:2a:00:00:00:01',
    vxlan: { vni: 1, local: '10.0.0.1', underlayIndex: 2, learning: false },
  });
  await netlink.addAddress({ family: 4, index: link.index, address: '10.5.72.0', prefixLength: 32 });
  await netlink.setLink(link.index, { up: true });
  return link.index;
}

/** What the vxlan backend does per remote lease. */
function remote(index: number, subnet: string, publicIp: string, mac = REMOTE_MAC) {
  const network = subnet.split('/')[0]!;
  return {
    neighbour: { family: 4, index, address: network, hardwareAddress: mac, state: 'permanent' } satisfies Neighbour,
    fdb: { index, hardwareAddress: mac, destination: publicIp, self: true } satisfies FdbEntry,
    route: { family: 4, destination: subnet, gateway: network, index, onlink: true } satisfies Route,
  };
}

async function rejection(promise: Promise<unknown>): Promise<NetlinkError> {
  try {
    await promise;
  } catch (error) {
    expect(NetlinkError.isInstance(error)).toBe(true);
    return error as NetlinkError;
  }
  throw new Error('expected a rejection');
}

describe('RecordingNetlink', () => {
  it('starts with lo at index 1 and the seeded links after it', async () => {
    const netlink = host();
    const links = await netlink.listLinks();
    expect(links.map((l) => [l.index, l.name, l.up])).toEqual([[1, 'lo', true], [2, 'eth0', true]]);
    expect(await netlink.listRoutes()).toEqual([
      { family: 4, destination: '10.0.0.0/24', index: 2, source: '10.0.0.1', scope: 'link', table: 254, type: 'unicast', protocol: 2 },
      { family: 4, destination: '0.0.0.0/0', gateway: '10.0.0.254', index: 2, scope: 'universe', table: 254, type: 'unicast', protocol: 3 },
    ]);
    expect(netlink.toCommands()).toEqual([]);
    expect(netlink.calls).toEqual([]);
  });

  it('programs a flannel vxlan device and a remote host, state by state', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    expect(netlink.toCommands()).toEqual([
      'ip link add flannel.1 address 0e:2a:00:00:00:01 mtu 1450 type vxlan id 1 local 10.0.0.1 dev eth0 dstport 8472 nolearning',
      'ip link set flannel.1 up',
      'ip addr add 10.5.72.0/32 dev flannel.1',
    ]);
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    await netlink.replaceNeighbour(r.neighbour);
    await netlink.replaceFdb(r.fdb);
    await netlink.replaceRoute(r.route);
    expect(netlink.toCommands().slice(3)).toEqual([
      'ip route add 10.5.34.0/24 via 10.5.34.0 dev flannel.1 onlink',
      `ip neigh replace 10.5.34.0 dev flannel.1 lladdr ${REMOTE_MAC} nud permanent`,
      `bridge fdb append ${REMOTE_MAC} dev flannel.1 self dst 10.0.0.2 permanent`,
    ]);
    expect(netlink.callNames()).toEqual(['addLink', 'addAddress', 'setLink', 'replaceNeighbour', 'replaceFdb', 'replaceRoute']);

    await netlink.deleteNeighbour(r.neighbour);
    await netlink.deleteFdb(r.fdb);
    await netlink.deleteRoute(r.route);
    expect(netlink.toCommands()).toEqual([
      'ip link add flannel.1 address 0e:2a:00:00:00:01 mtu 1450 type vxlan id 1 local 10.0.0.1 dev eth0 dstport 8472 nolearning',
      'ip link set flannel.1 up',
      'ip addr add 10.5.72.0/32 dev flannel.1',
    ]);
  });

  it('gives a VXLAN device the underlay MTU minus 50 by default and refuses more', async () => {
    const netlink = host();
    const link = await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, underlayIndex: 2 } });
    expect(link.mtu).toBe(1450);
    expect(link.vxlan).toMatchObject({ vni: 1, port: 8472, learning: true });
    const error = await rejection(netlink.setLink('flannel.1', { mtu: 1451 }));
    expect(error.errnoName).toBe('EINVAL');
  });

  it('rejects duplicates with EEXIST', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    expect((await rejection(netlink.addLink({ name: 'flannel.1', kind: 'bridge' }))).code).toBe('NETLINK_EXISTS');
    expect((await rejection(netlink.addLink({ name: 'flannel.9', kind: 'vxlan', vxlan: { vni: 1, local: '10.0.0.1' } }))).extendedAck)
      .toBe('A VXLAN device with the specified VNI already exists');
    expect((await rejection(netlink.addAddress({ family: 4, index, address: '10.5.72.0', prefixLength: 32 }))).errnoName).toBe('EEXIST');
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    await netlink.addRoute(r.route);
    expect((await rejection(netlink.addRoute({ ...r.route, gateway: '10.5.34.1' }))).errnoName).toBe('EEXIST');
    await netlink.addRoute({ ...r.route, priority: 100 }); // another metric is another route
    await netlink.replaceRoute({ ...r.route, gateway: '10.5.34.1' }); // replace takes the same key
    const routes = await netlink.listRoutes({ index });
    expect(routes.map((x) => [x.gateway, x.priority])).toEqual([['10.5.34.1', undefined], ['10.5.34.0', 100]]);
  });

  it('lets the IPv4 and IPv6 devices of one VNI coexist', async () => {
    const netlink = host();
    await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, local: '10.0.0.1' } });
    await expect(netlink.addLink({ name: 'flannel-v6.1', kind: 'vxlan', vxlan: { vni: 1, local: 'fd00::1' } })).resolves.toBeDefined();
  });

  it('rejects operations on unknown devices with ENODEV as not-found', async () => {
    const netlink = host();
    for (const promise of [
      netlink.getLink('flannel.1'),
      netlink.getLink(99),
      netlink.deleteLink('flannel.1'),
      netlink.setLink('flannel.1', { up: true }),
      netlink.addAddress({ family: 4, index: 99, address: '10.5.72.0', prefixLength: 32 }),
      netlink.replaceNeighbour({ family: 4, index: 99, address: '10.5.34.0', hardwareAddress: REMOTE_MAC }),
      netlink.replaceFdb({ index: 99, hardwareAddress: REMOTE_MAC, destination: '10.0.0.2' }),
      netlink.addRoute({ family: 4, destination: '10.5.34.0/24', index: 99 }),
    ]) {
      const error = await rejection(promise);
      expect(NetlinkNotFoundError.isInstance(error)).toBe(true);
      expect(error.errnoName).toBe('ENODEV');
    }
    expect(await netlink.findLink('flannel.1')).toBeUndefined();
  });

  it('rejects deleting missing objects like the kernel', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    const cases: [Promise<unknown>, string][] = [
      [netlink.deleteRoute(r.route), 'ESRCH'],
      [netlink.deleteNeighbour(r.neighbour), 'ENOENT'],
      [netlink.deleteFdb(r.fdb), 'ENOENT'],
      [netlink.deleteAddress({ family: 4, index, address: '10.5.99.0', prefixLength: 32 }), 'EADDRNOTAVAIL'],
    ];
    for (const [promise, errno] of cases) {
      const error = await rejection(promise);
      expect(error.errnoName).toBe(errno);
      expect(NetlinkNotFoundError.isInstance(error)).toBe(true);
    }
  });

  it('needs a reachable gateway unless onlink, and an up device', async () => {
    const netlink = host();
    const link = await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1 } });
    const down = await rejection(netlink.addRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: link.index, onlink: true }));
    expect(down.errnoName).toBe('ENETDOWN');
    await netlink.setLink(link.index, { up: true });
    const unreachable = await rejection(netlink.addRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: link.index }));
    expect(unreachable.errnoName).toBe('ENETUNREACH');
    // host-gw: a gateway on eth0's connected subnet resolves to eth0.
    await netlink.addRoute({ family: 4, destination: '10.5.35.0/24', gateway: '10.0.0.3' });
    expect((await netlink.listRoutes()).find((r) => r.destination === '10.5.35.0/24')?.index).toBe(2);
  });

  it('answers getRoute by longest-prefix match, telling direct from gatewayed hosts', async () => {
    const netlink = host();
    expect(await netlink.getRoute('10.0.0.7')).toEqual([
      { family: 4, destination: '10.0.0.7/32', index: 2, source: '10.0.0.1', table: 254, type: 'unicast' },
    ]);
    expect((await netlink.getRoute('8.8.8.8'))[0]).toMatchObject({ gateway: '10.0.0.254', index: 2 });
    expect((await netlink.getRoute('10.0.0.1'))[0]).toMatchObject({ type: 'local' });
    expect((await rejection(netlink.getRoute('fd00::1'))).errnoName).toBe('ENETUNREACH');
    await rejection(netlink.getRoute('not-an-ip'));
  });

  it('removes addresses, routes, neighbours and FDB entries with their link', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    await netlink.batch([
      { op: 'replaceNeighbour', neighbour: r.neighbour },
      { op: 'replaceFdb', entry: r.fdb },
      { op: 'replaceRoute', route: r.route },
    ]);
    await netlink.deleteLink('flannel.1');
    expect(netlink.toCommands()).toEqual([]);
    expect(await netlink.listAddresses({ index })).toEqual([]);
    expect(await netlink.listNeighbours()).toEqual([]);
    expect(await netlink.listFdb()).toEqual([]);
  });

  it('flushes routes and neighbours but keeps IPv4 addresses when a link goes down', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    await netlink.replaceNeighbour(r.neighbour);
    await netlink.replaceRoute(r.route);
    await netlink.setLink(index, { up: false });
    expect(await netlink.listRoutes({ index })).toEqual([]);
    expect(await netlink.listNeighbours({ index })).toEqual([]);
    expect(await netlink.listAddresses({ index })).toEqual([
      { family: 4, index, address: '10.5.72.0', prefixLength: 32, scope: 'universe', label: 'flannel.1' },
    ]);
  });

  it('applies batches one by one and reports each result in order', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    const results = await netlink.batch([
      { op: 'addRoute', route: r.route },
      { op: 'addRoute', route: r.route },
      { op: 'replaceFdb', entry: { ...r.fdb, hardwareAddress: 'bad' } },
      { op: 'replaceNeighbour', neighbour: r.neighbour },
    ]);
    expect(results.map((x) => x.ok)).toEqual([true, false, false, true]);
    expect(NetlinkError.hasErrno((results[1] as { error: Error }).error, 'EEXIST')).toBe(true);
    expect(NetlinkInvalidArgumentError.isInstance((results[2] as { error: Error }).error)).toBe(true);
    expect(netlink.calls.slice(-4).map((c) => [c.operation, c.batched, c.error?.errnoName])).toEqual([
      ['addRoute', true, undefined], ['addRoute', true, 'EEXIST'], ['replaceFdb', true, 'EINVAL'], ['replaceNeighbour', true, undefined],
    ]);
  });

  it('refuses invalid requests before touching state, naming the field', async () => {
    const netlink = host();
    const error = await rejection(netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1 << 24 } }));
    expect(error.message).toBe('vxlan.vni 16777216 is invalid: must be 0..16777215');
    expect(error.operation).toBe('addLink');
    expect(await netlink.findLink('flannel.1')).toBeUndefined();
    expect(netlink.calls[0]?.error).toBe(error);
  });

  it('refuses to replace a non-unicast VXLAN FDB entry', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    const error = await rejection(netlink.replaceFdb({ index, hardwareAddress: '00:00:00:00:00:00', destination: '10.0.0.2' }));
    expect(error.errnoName).toBe('EOPNOTSUPP');
  });

  it('injects faults into matching calls', async () => {
    const netlink = host();
    const index = await flannelDevice(netlink);
    netlink.failNext({ operation: 'replaceFdb', errno: 'ENOBUFS' });
    const r = remote(index, '10.5.34.0/24', '10.0.0.2');
    const error = await rejection(netlink.replaceFdb(r.fdb));
    expect(error.isRetryable).toBe(true);
    await netlink.replaceFdb(r.fdb);
    expect(await netlink.listFdb()).toEqual([{ index, hardwareAddress: 'c6:d2:32:6f:8f:44', destination: '10.0.0.2', self: true, state: 'permanent' }]);
  });

  it('streams events, including changes made by someone else', async () => {
    const netlink = host();
    const controller = new AbortController();
    const seen = collectUntil(netlink.subscribe(['link', 'neighbour'], { signal: controller.signal }), (e) => e.type === 'dellink');
    const index = await flannelDevice(netlink);
    await netlink.replaceFdb(remote(index, '10.5.34.0/24', '10.0.0.2').fdb);
    await netlink.outside.deleteLink('flannel.1');
    expect((await seen).map((event) => `${event.type} ${describeEvent(event)}`)).toEqual([
      'newlink flannel.1 down', 'newlink flannel.1 up', `newfdb ${REMOTE_MAC}`, `delfdb ${REMOTE_MAC}`,
      'newlink flannel.1 down', 'dellink flannel.1 down',
    ]);
    expect(netlink.callNames()).not.toContain('deleteLink');
    controller.abort();
  });

  it('listens from the subscribe() call, like the kernel implementation, and drops the queue at abort', async () => {
    const netlink = host();
    const controller = new AbortController();
    const iterator = netlink.subscribe(['link'], { signal: controller.signal })[Symbol.asyncIterator]();
    await netlink.addLink({ name: 'br0', kind: 'bridge' }); // before the first next(): seen all the same
    const first = iterator.next();
    await netlink.addLink({ name: 'br1', kind: 'bridge' }); // queued, then dropped by the abort
    expect(describeEvent((await first).value as NetlinkEvent)).toBe('br0 down');
    controller.abort();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('ends subscriptions on close and refuses calls afterwards', async () => {
    const netlink = host();
    const events = netlink.subscribe(['link'], { signal: new AbortController().signal });
    const iterator = events[Symbol.asyncIterator]();
    const next = iterator.next();
    await netlink.close();
    await netlink.close();
    expect(await next).toEqual({ done: true, value: undefined });
    expect((await rejection(netlink.listLinks())).code).toBe('NETLINK_CLOSED');
  });

  it('runs the conformance scenario to a known state (the reference the kernel is compared with)', async () => {
    const netlink = createRecordingNetlink();
    const outcomes = await runNetlinkScenario(netlink);
    expect(Object.values(outcomes).filter((o) => o === 'ok')).toHaveLength(48);
    expect(outcomes).toMatchObject({
      'add flannel.1 again': 'EEXIST',
      'add a device with VNI 2^24': 'EINVAL!',
      'onlink route while down': 'ENETDOWN',
      'route via an unreachable gateway': 'ENETUNREACH',
      'delete route 32 again': 'ESRCH (not found)',
      'vetha gone with its peer': 'ENODEV (not found)',
    });
    expect(netlink.toCommands()).toMatchInlineSnapshot(`
      [
        "ip link add br0 type bridge",
        "ip link add br1 type bridge",
        "ip link add flannel-v6.1 type vxlan id 1 local fd50::1 dev br0 dstport 8472 nolearning",
        "ip link add flannel.1 address 0e:2a:00:00:00:01 mtu 1450 type vxlan id 1 local 192.168.50.1 dev br0 dstport 8472 nolearning",
        "ip link add flannel.3 mtu 1450 type vxlan id 3 local 192.168.50.1 dev br0 dstport 8472 nolearning",
        "ip link set br0 up",
        "ip link set flannel-v6.1 up",
        "ip link set flannel.1 up",
        "ip addr add 10.5.72.0/32 dev flannel.1",
        "ip addr add 192.168.50.1/24 dev br0",
        "ip addr add fd50::1/64 dev br0",
        "ip addr add fd70:0:0:72::/128 dev flannel-v6.1",
        "ip route add 10.5.31.0/24 via 10.5.31.0 dev flannel.1 onlink",
        "ip route add 10.6.0.0/24 via 192.168.50.7 dev br0",
        "ip route add blackhole 10.99.0.0/16",
        "ip route add fd60::/64 via fd50::7 dev br0",
        "ip route add fd70:0:0:34::/64 via fd70:0:0:34:: dev flannel-v6.1 onlink",
        "ip route del 192.168.50.0/24 dev br0",
        "ip neigh replace 10.5.31.0 dev flannel.1 lladdr 0e:2a:00:00:00:91 nud permanent",
        "ip neigh replace 10.5.33.0 dev flannel.1 lladdr 0e:2a:00:00:00:21 nud permanent",
        "ip neigh replace fd70:0:0:34:: dev flannel-v6.1 lladdr 0e:2a:00:00:00:61 nud permanent",
        "bridge fdb append 0e:2a:00:00:00:1f dev flannel.1 self dst 192.168.50.131 permanent",
        "bridge fdb append 0e:2a:00:00:00:21 dev flannel.1 self dst 192.168.50.33 permanent",
        "bridge fdb append 0e:2a:00:00:00:61 dev flannel-v6.1 self dst fd50::34 permanent",
      ]
    `);
  });

  it('reaches the same state whatever the order of independent operations', async () => {
    const subnets = Array.from({ length: 12 }, (_, i) => [`10.5.${i + 10}.0/24`, `10.0.0.${i + 10}`, `0e:2a:00:00:01:${(i + 16).toString(16)}`] as const);
    const reference = await applyInOrder(subnets, (list) => list);
    for (let seed = 1; seed <= 20; seed++) {
      const shuffled = await applyInOrder(subnets, (list) => shuffle(list, seed));
      expect(shuffled).toEqual(reference);
    }
  });
});

/** Iterates `events` (starting now) until `last` matches, returning everything seen. */
async function collectUntil(events: AsyncIterable<NetlinkEvent>, last: (event: NetlinkEvent) => boolean): Promise<NetlinkEvent[]> {
  const seen: NetlinkEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    if (last(event)) break;
  }
  return seen;
}

function describeEvent(event: NetlinkEvent): string {
  if ('link' in event) return `${event.link.name} ${event.link.up ? 'up' : 'down'}`;
  if ('entry' in event) return event.entry.hardwareAddress;
  return event.type;
}

type Step = (netlink: RecordingNetlink, index: number) => Promise<unknown>;

async function applyInOrder(
  subnets: readonly (readonly [string, string, string])[],
  order: (steps: Step[]) => Step[],
): Promise<string[]> {
  const netlink = host();
  const index = await flannelDevice(netlink);
  const steps: Step[] = [];
  for (const [subnet, publicIp, mac] of subnets) {
    const r = remote(index, subnet, publicIp, mac);
    steps.push((n) => n.replaceNeighbour(r.neighbour), (n) => n.replaceFdb(r.fdb), (n) => n.replaceRoute(r.route));
  }
  // A stale remote that is replaced, and one that is added then removed.
  const stale = remote(index, '10.5.10.0/24', '10.0.0.99', '0e:2a:00:00:09:99');
  steps.push(async (n) => {
    await n.replaceNeighbour(stale.neighbour);
    await n.replaceNeighbour(remote(index, subnets[0]![0], subnets[0]![1], subnets[0]![2]).neighbour);
  });
  const gone = remote(index, '10.5.99.0/24', '10.0.0.199', '0e:2a:00:00:09:98');
  steps.push(async (n) => {
    await n.replaceRoute(gone.route);
    await n.deleteRoute(gone.route);
  });
  for (const step of order(steps)) await step(netlink, index);
  return netlink.toCommands();
}

/** Deterministic Fisher–Yates with a small LCG, so a failing seed can be replayed. */
function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
