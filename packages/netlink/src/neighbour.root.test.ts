import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { NetlinkInvalidArgumentError } from './errors.js';
import { createNetlink } from './kernel-netlink.js';
import type { Netlink } from './netlink.js';

type IpNeigh = { dst: string; dev: string; lladdr?: string; state: string[] };
type BridgeFdb = { mac: string; ifname: string; dst?: string; flags: string[]; state: string };

describe.skipIf(!isRoot)(`neighbours and FDB (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let netlink: Netlink;
  let vx: number;
  beforeEach(async () => {
    ns = createTestNetns('neigh');
    netlink = await createNetlink({ netns: { name: ns.name } });
    const br = (await netlink.addLink({ name: 'br0', kind: 'bridge', up: true })).index;
    ns.ip('addr', 'add', '192.168.70.1/24', 'dev', 'br0');
    vx = (await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, underlayIndex: br, local: '192.168.70.1', learning: false }, up: true })).index;
  });
  afterEach(async () => {
    await netlink.close();
    ns.remove();
  });

  it('replaces a permanent ARP entry (ip neigh replace … nud permanent), lists and deletes it', async () => {
    await netlink.replaceNeighbour({ family: 4, index: vx, address: '10.5.34.0', hardwareAddress: '02:aa:00:00:00:01' });
    await netlink.replaceNeighbour({ family: 4, index: vx, address: '10.5.34.0', hardwareAddress: '02:aa:00:00:00:02' });
    expect(ns.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([
      expect.objectContaining({ dst: '10.5.34.0', lladdr: '02:aa:00:00:00:02', state: ['PERMANENT'] }),
    ]);
    expect(await netlink.listNeighbours({ family: 4, index: vx })).toEqual([
      { family: 4, index: vx, address: '10.5.34.0', hardwareAddress: '02:aa:00:00:00:02', state: 'permanent' },
    ]);
    await netlink.deleteNeighbour({ family: 4, index: vx, address: '10.5.34.0' });
    expect(ns.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([]);
  });

  it('handles IPv6 neighbours', async () => {
    await netlink.replaceNeighbour({ family: 6, index: vx, address: 'fd00:34::', hardwareAddress: '02:aa:00:00:00:06' });
    expect(ns.ipJson<IpNeigh[]>('-6', 'neigh', 'show', 'dev', 'flannel.1')[0]).toMatchObject({ dst: 'fd00:34::', lladdr: '02:aa:00:00:00:06' });
    // We list every state (ip hides NOARP entries such as the kernel's own ff02::16 unless asked for `nud all`);
    // the kernel adds those asynchronously while the link comes up, so compare the permanent ones.
    const judge = ns.ipJson<IpNeigh[]>('-6', 'neigh', 'show', 'dev', 'flannel.1', 'nud', 'permanent').map((n) => n.dst);
    const ours = (await netlink.listNeighbours({ family: 6, index: vx })).filter((n) => n.state === 'permanent').map((n) => n.address);
    expect(ours).toEqual(judge);
    expect(ours).toEqual(['fd00:34::']);
  });

  it('replaces a self FDB entry with a remote VTEP (bridge fdb replace … self dst … permanent), lists and deletes it', async () => {
    await netlink.replaceFdb({ index: vx, hardwareAddress: '02:aa:00:00:00:01', destination: '192.168.70.2' });
    await netlink.replaceFdb({ index: vx, hardwareAddress: '02:aa:00:00:00:01', destination: '192.168.70.3' });
    const judge = ns.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel.1').filter((e) => e.mac === '02:aa:00:00:00:01');
    expect(judge).toEqual([expect.objectContaining({ dst: '192.168.70.3', flags: ['self'], state: 'permanent' })]);
    const ours = (await netlink.listFdb({ index: vx })).filter((e) => e.hardwareAddress === '02:aa:00:00:00:01');
    expect(ours).toEqual([{ index: vx, hardwareAddress: '02:aa:00:00:00:01', destination: '192.168.70.3', self: true, master: false, state: 'permanent' }]);
    await netlink.deleteFdb({ index: vx, hardwareAddress: '02:aa:00:00:00:01', destination: '192.168.70.3' });
    expect(ns.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel.1').filter((e) => e.mac === '02:aa:00:00:00:01')).toEqual([]);
  });

  it('hands neighbours and FDB entries to a visit as they are decoded, the same entries the lists give, and resolves to []', async () => {
    await netlink.replaceNeighbour({ family: 4, index: vx, address: '10.5.34.0', hardwareAddress: '02:aa:00:00:00:01' });
    await netlink.replaceFdb({ index: vx, hardwareAddress: '02:aa:00:00:00:01', destination: '192.168.70.2' });
    const neighbours: unknown[] = [];
    const fdb: unknown[] = [];
    const visit = <T>(into: T[]) => ({ entry: (value: T) => void into.push(value), restart: () => void into.splice(0) });
    expect(await netlink.listNeighbours({ family: 4, index: vx, visit: visit(neighbours) })).toEqual([]);
    expect(await netlink.listFdb({ index: vx, visit: visit(fdb) })).toEqual([]);
    expect(neighbours).toEqual(await netlink.listNeighbours({ family: 4, index: vx }));
    expect(fdb).toEqual(await netlink.listFdb({ index: vx }));
    expect(fdb).toContainEqual(expect.objectContaining({ hardwareAddress: '02:aa:00:00:00:01', destination: '192.168.70.2' }));
  });

  it('refuses malformed MACs and addresses before sending', async () => {
    await expect(netlink.replaceNeighbour({ family: 4, index: vx, address: '10.5.34.0', hardwareAddress: '02:aa:00:00:00' })).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    await expect(netlink.replaceFdb({ index: vx, hardwareAddress: 'zz:aa:00:00:00:01', destination: '192.168.70.2' })).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    await expect(netlink.replaceNeighbour({ family: 4, index: vx, address: 'fd00::1' })).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    expect(ns.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([]);
  });
});
