import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { NetlinkError, NetlinkInvalidArgumentError, NetlinkNotFoundError } from './errors.js';
import { createNetlink } from './kernel-netlink.js';
import type { Netlink } from './netlink.js';

type IpRoute = { dst: string; gateway?: string; dev?: string; flags: string[]; scope?: string; type?: string; metric?: number; protocol?: string };

describe.skipIf(!isRoot)(`routes (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let netlink: Netlink;
  let vx: number;
  let br: number;
  beforeEach(async () => {
    ns = createTestNetns('route');
    netlink = await createNetlink({ netns: { name: ns.name } });
    br = (await netlink.addLink({ name: 'br0', kind: 'bridge', up: true })).index;
    ns.ip('addr', 'add', '192.168.60.1/24', 'dev', 'br0');
    ns.ip('addr', 'add', 'fd00:60::1/64', 'dev', 'br0', 'nodad');
    vx = (await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, underlayIndex: br, local: '192.168.60.1' }, up: true })).index;
  });
  afterEach(async () => {
    await netlink.close();
    ns.remove();
  });

  it('programs flannel’s onlink route and reads it back as ip route shows it', async () => {
    await netlink.replaceRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: vx, onlink: true });
    const [judge] = ns.ipJson<IpRoute[]>('route', 'show', '10.5.34.0/24');
    expect(judge).toMatchObject({ dst: '10.5.34.0/24', gateway: '10.5.34.0', dev: 'flannel.1', flags: ['onlink'] });
    const ours = (await netlink.listRoutes({ family: 4 })).find((r) => r.destination === '10.5.34.0/24');
    expect(ours).toMatchObject({ gateway: '10.5.34.0', index: vx, onlink: true, scope: 'universe', table: 254, type: 'unicast' });
    expect(ns.ip('route', 'show', 'table', 'main').trim().split('\n').length).toBe((await netlink.listRoutes({ family: 4 })).length);
  });

  it('hands routes to a visit as they are decoded, the same routes the list gives, and resolves to []', async () => {
    await netlink.replaceRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: vx, onlink: true });
    const visited: unknown[] = [];
    expect(await netlink.listRoutes({ family: 4, visit: { entry: (route) => visited.push(route), restart: () => visited.splice(0) } })).toEqual([]);
    expect(visited).toEqual(await netlink.listRoutes({ family: 4 }));
    expect(visited).toContainEqual(expect.objectContaining({ destination: '10.5.34.0/24', index: vx }));
  });

  it('add rejects EEXIST, replace changes the gateway, delete removes (and ESRCH is not-found)', async () => {
    const route = { family: 4 as const, destination: '10.6.0.0/16', gateway: '192.168.60.2', index: br };
    await netlink.addRoute(route);
    await expect(netlink.addRoute(route)).rejects.toSatisfy((e: unknown) => NetlinkError.hasErrno(e, 'EEXIST'));
    await netlink.replaceRoute({ ...route, gateway: '192.168.60.3' });
    expect(ns.ipJson<IpRoute[]>('route', 'show', '10.6.0.0/16')[0]!.gateway).toBe('192.168.60.3');
    await netlink.deleteRoute({ family: 4, destination: '10.6.0.0/16', index: br });
    expect(ns.ipJson<IpRoute[]>('route', 'show', '10.6.0.0/16')).toEqual([]);
    await expect(netlink.deleteRoute(route)).rejects.toSatisfy(NetlinkNotFoundError.isInstance);
  });

  it('handles scope link, another table, blackhole and metric', async () => {
    await netlink.addRoute({ family: 4, destination: '10.7.0.0/24', index: br, scope: 'link' });
    await netlink.addRoute({ family: 4, destination: '10.8.0.0/24', gateway: '192.168.60.9', index: br, table: 1000 });
    await netlink.addRoute({ family: 4, destination: '10.9.0.0/24', type: 'blackhole', priority: 50 });
    expect(ns.ipJson<IpRoute[]>('route', 'show', '10.7.0.0/24')[0]).toMatchObject({ scope: 'link', dev: 'br0' });
    expect(ns.ipJson<IpRoute[]>('route', 'show', 'table', '1000')[0]).toMatchObject({ dst: '10.8.0.0/24', gateway: '192.168.60.9' });
    expect(ns.ipJson<IpRoute[]>('route', 'show', '10.9.0.0/24')[0]).toMatchObject({ type: 'blackhole', metric: 50 });
    expect((await netlink.listRoutes({ table: 1000 })).map((r) => r.destination)).toEqual(['10.8.0.0/24']);
    expect((await netlink.listRoutes({ table: 'all', family: 4 })).some((r) => r.table === 255)).toBe(true);
    expect((await netlink.listRoutes()).find((r) => r.destination === '10.9.0.0/24')).toMatchObject({ type: 'blackhole', priority: 50 });
  });

  it('adds and lists IPv6 routes', async () => {
    await netlink.addRoute({ family: 6, destination: 'fd00:99::/64', gateway: 'fd00:60::2', index: br });
    expect(ns.ipJson<IpRoute[]>('-6', 'route', 'show', 'fd00:99::/64')[0]).toMatchObject({ gateway: 'fd00:60::2', dev: 'br0' });
    expect((await netlink.listRoutes({ family: 6 })).find((r) => r.destination === 'fd00:99::/64')).toMatchObject({ gateway: 'fd00:60::2', index: br });
    const [looked] = await netlink.getRoute('fd00:99::7');
    expect(looked).toMatchObject({ family: 6, destination: 'fd00:99::7/128', gateway: 'fd00:60::2', index: br });
    await netlink.deleteRoute({ family: 6, destination: 'fd00:99::/64', gateway: 'fd00:60::2', index: br });
    expect(ns.ipJson<IpRoute[]>('-6', 'route', 'show', 'fd00:99::/64')).toEqual([]);
  });

  it('sets a route MTU (RTA_METRICS/RTAX_MTU) and a preferred source', async () => {
    await netlink.addRoute({ family: 4, destination: '10.10.0.0/24', gateway: '192.168.60.2', index: br, mtu: 1400, source: '192.168.60.1' });
    const [judge] = ns.ipJson<(IpRoute & { prefsrc?: string; metrics?: { mtu?: number }[] })[]>('route', 'show', '10.10.0.0/24');
    expect(judge).toMatchObject({ prefsrc: '192.168.60.1', metrics: [{ mtu: 1400 }] });
    expect((await netlink.listRoutes()).find((r) => r.destination === '10.10.0.0/24')).toMatchObject({ mtu: 1400, source: '192.168.60.1' });
  });

  it('getRoute answers like ip route get', async () => {
    await netlink.replaceRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: vx, onlink: true });
    const [route] = await netlink.getRoute('10.5.34.7');
    const judge = ns.ipJson<IpRoute[]>('route', 'get', '10.5.34.7')[0]!;
    expect(route).toMatchObject({ destination: '10.5.34.7/32', gateway: judge.gateway, index: vx });
  });

  it('refuses bad routes before sending', async () => {
    for (const route of [
      { family: 4 as const, destination: '10.5.34.1/24', index: br },
      { family: 4 as const, destination: '10.5.34.0/33', index: br },
      { family: 4 as const, destination: '10.5.34.0/24', gateway: 'fd00::1', index: br },
      { family: 4 as const, destination: '10.5.34.0/24', gateway: '10.5.34.0', onlink: true },
    ]) {
      await expect(netlink.addRoute(route)).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    }
  });
});
