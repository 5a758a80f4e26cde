import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { NetlinkError, NetlinkInvalidArgumentError, NetlinkNotFoundError } from './errors.js';
import { createNetlink } from './kernel-netlink.js';
import type { Netlink } from './netlink.js';

type IpLink = { ifindex: number; ifname: string; mtu: number; address: string; flags: string[]; master?: string; link_index?: number; linkinfo?: { info_kind: string; info_data?: Record<string, unknown> } };

describe.skipIf(!isRoot)(`links (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let other: TestNetns | undefined;
  let netlink: Netlink;
  beforeEach(async () => {
    ns = createTestNetns('link');
    netlink = await createNetlink({ netns: { name: ns.name } });
  });
  afterEach(async () => {
    await netlink.close();
    ns.remove();
    other?.remove();
    other = undefined;
  });

  const ipLink = (name: string): IpLink => ns.ipJson<IpLink[]>('-d', 'link', 'show', 'dev', name)[0]!;

  it('creates a flannel vxlan device and reads back every attribute flannel compares, as ip -d link reports them', async () => {
    const bridge = await netlink.addLink({ name: 'br0', kind: 'bridge', up: true });
    ns.ip('addr', 'add', '192.168.50.1/24', 'dev', 'br0');
    const link = await netlink.addLink({
      name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: '0e:2a:aa:bb:cc:01', up: true,
      vxlan: { vni: 1, local: '192.168.50.1', underlayIndex: bridge.index, port: 8472, learning: false, gbp: true, udpChecksum: false, ttl: 7 },
    });
    const judge = ipLink('flannel.1');
    expect(link).toMatchObject({ index: judge.ifindex, name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: judge.address, up: true });
    const data = judge.linkinfo!.info_data!;
    expect(link.vxlan).toEqual({
      vni: data.id, local: data.local, underlayIndex: bridge.index, port: data.port, learning: data.learning,
      gbp: data.gbp === true, udpChecksum: data.udp_csum, ttl: data.ttl, l2miss: data.l2miss === true, l3miss: data.l3miss === true,
    });
    expect(data.link).toBe('br0');
    expect(await netlink.getLink(link.index)).toEqual(await netlink.getLink('flannel.1'));
  });

  it('rejects EEXIST with the errno name and sequence when the name is taken', async () => {
    await netlink.addLink({ name: 'br0', kind: 'bridge' });
    const error = await netlink.addLink({ name: 'br0', kind: 'bridge' }).catch((e: unknown) => e);
    expect(NetlinkError.isInstance(error) && error.errnoName).toBe('EEXIST');
    expect((error as NetlinkError).sequence).toBeTypeOf('number');
    expect((error as NetlinkError).operation).toBe('addLink');
  });

  it('lists links like ip link show', async () => {
    await netlink.addLink({ name: 'br0', kind: 'bridge' });
    const ours = (await netlink.listLinks()).map((l) => [l.index, l.name, l.mtu]);
    const judge = ns.ipJson<IpLink[]>('link', 'show').map((l) => [l.ifindex, l.ifname, l.mtu]);
    expect(ours).toEqual(judge);
  });

  it('sets up/down, MTU, hardware address and master, then deletes', async () => {
    const br = await netlink.addLink({ name: 'br0', kind: 'bridge' });
    await netlink.addLink({ name: 've0', kind: 'veth', peerName: 've1' });
    await netlink.setLink('ve0', { up: true, mtu: 1400, hardwareAddress: '02:00:00:00:00:42', masterIndex: br.index });
    let judge = ipLink('ve0');
    expect(judge.flags).toContain('UP');
    expect(judge).toMatchObject({ mtu: 1400, address: '02:00:00:00:00:42', master: 'br0' });
    await netlink.setLink('ve0', { up: false, masterIndex: 0 });
    judge = ipLink('ve0');
    expect(judge.flags).not.toContain('UP');
    expect(judge.master).toBeUndefined();
    await netlink.deleteLink('ve0');
    expect(await netlink.findLink('ve0')).toBeUndefined();
    expect(await netlink.findLink('ve1')).toBeUndefined();
  });

  it('creates a veth whose peer lands in another namespace (IFLA_NET_NS_FD)', async () => {
    other = createTestNetns('peer');
    const link = await netlink.addLink({ name: 'vout', kind: 'veth', peerName: 'vin', peerNetns: { name: other.name } });
    expect(link.kind).toBe('veth');
    expect(other.ipJson<IpLink[]>('link', 'show', 'dev', 'vin')[0]!.ifname).toBe('vin');
    expect(await netlink.findLink('vin')).toBeUndefined();
  });

  it('reads a tun device created by ip tuntap', async () => {
    ns.ip('tuntap', 'add', 'dev', 'tun0', 'mode', 'tun');
    const link = await netlink.getLink('tun0');
    expect(link).toMatchObject({ name: 'tun0', kind: 'tun', index: ipLink('tun0').ifindex });
  });

  it('surfaces the kernel refusal of a kind whose module is missing (wireguard here) as a NetlinkError', async () => {
    const error = await netlink.addLink({ name: 'wg0', kind: 'wireguard' }).then(() => undefined, (e: unknown) => e);
    if (error === undefined) return; // the module is present on this kernel: creating it is the right outcome
    expect(NetlinkError.isInstance(error) && error.errnoName).toBe('EOPNOTSUPP');
  });

  it('rejects NetlinkNotFoundError for a missing link, and findLink resolves undefined', async () => {
    await expect(netlink.getLink('nosuch0')).rejects.toSatisfy(NetlinkNotFoundError.isInstance);
    await expect(netlink.getLink(9999)).rejects.toSatisfy(NetlinkNotFoundError.isInstance);
    await expect(netlink.deleteLink('nosuch0')).rejects.toSatisfy(NetlinkNotFoundError.isInstance);
    expect(await netlink.findLink('nosuch0')).toBeUndefined();
  });

  it('refuses bad input before sending anything', async () => {
    const before = ns.ip('-d', 'link', 'show');
    const bad = [
      netlink.addLink({ name: 'a-name-too-long-for-ifnamsiz', kind: 'bridge' }),
      netlink.addLink({ name: 'vx0', kind: 'vxlan', vxlan: { vni: 1 << 24 } }),
      netlink.addLink({ name: 'vx0', kind: 'vxlan', vxlan: { vni: 1, port: 70000 } }),
      netlink.addLink({ name: 'br9', kind: 'bridge', mtu: 20 }),
      netlink.addLink({ name: 'br9', kind: 'bridge', hardwareAddress: '02:00:00:00:00' }),
      netlink.setLink('lo', { mtu: 1_000_000 }),
    ];
    for (const attempt of bad) await expect(attempt).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    expect(ns.ip('-d', 'link', 'show')).toBe(before);
  });
});
