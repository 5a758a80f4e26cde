import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { createNetlink } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';
import { createHostPair, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { HostPair } from '@flannel-ts/testlab';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedVxlanEntries, sameFdb, sameNeighbour, sameRoute, VxlanKernelReader } from './vxlan-kernel-reader.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import { desiredVxlanState, diffVxlanKernel, diffVxlanState, ownedVxlanEntries } from './vxlan-state.js';

const lease = (subnet: string, publicIP: string, mac: string): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }) },
});

describe.skipIf(!isRoot())(`VxlanKernelReader on the kernel ${rootSkipReason() ?? ''}`.trimEnd(), () => {
  let hosts: HostPair | undefined;
  let netlink: Netlink | undefined;
  afterEach(async () => {
    await netlink?.close();
    hosts?.remove();
    hosts = undefined;
    netlink = undefined;
  });

  it('files every entry written from a desired peer as that peer’s object, keeps the ones that differ, and diffs as the dumped lists do', async () => {
    hosts = createHostPair({ tag: 'vxrd' });
    netlink = await createNetlink({ netns: { name: hosts.a.name } });
    const eth0 = await netlink.getLink('eth0');
    const vx = (await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, underlayIndex: eth0.index, local: hosts.a.address, port: 8472, learning: false }, up: true })).index;
    const device = { family: 4 as const, index: vx };
    const peers = desiredVxlanState([lease('10.5.34.0/24', '192.168.77.2', '0e:2a:00:00:00:01'), lease('10.5.35.0/24', '192.168.77.3', '0e:2a:00:00:00:02')], device).peers;
    for (const peer of peers) await netlink.batch([{ op: 'replaceNeighbour', neighbour: peer.neighbour! }, { op: 'replaceFdb', entry: peer.fdb! }, { op: 'replaceRoute', route: peer.route }]);
    // A stale peer (no longer wanted), and a wanted one whose FDB entry points elsewhere.
    await netlink.replaceRoute({ family: 4, destination: '10.5.36.0/24', gateway: '10.5.36.0', index: vx, onlink: true });
    await netlink.replaceFdb({ index: vx, hardwareAddress: '0e:2a:00:00:00:02', destination: '192.168.77.9' });

    const ownership = { device, network: IpNet.parse('10.5.0.0/16'), ownSubnet: IpNet.parse('10.5.1.0/24') };
    const reader = new VxlanKernelReader(() => expectedVxlanEntries(peers), ownership);
    await netlink.listNeighbours({ family: 4, index: vx, visit: reader.neighbours });
    await netlink.listFdb({ index: vx, visit: reader.fdb });
    await netlink.listRoutes({ family: 4, visit: reader.routes });

    const [first, second] = peers;
    expect(reader.index.neighbours.get('10.5.34.0')).toBe(first!.neighbour);
    expect(reader.index.fdb.get('0e:2a:00:00:00:01')).toBe(first!.fdb);
    expect(reader.index.routes.get('10.5.34.0/24')).toBe(first!.route);
    expect(reader.index.routes.get('10.5.35.0/24')).toBe(second!.route);
    expect(reader.index.fdb.get('0e:2a:00:00:00:02')).toMatchObject({ destination: '192.168.77.9' });
    expect(reader.index.routes.get('10.5.36.0/24')).toMatchObject({ gateway: '10.5.36.0' });
    expect([...reader.index.routes.keys()].sort()).toEqual(['10.5.34.0/24', '10.5.35.0/24', '10.5.36.0/24']);

    const dumped = ownedVxlanEntries({ neighbours: await netlink.listNeighbours({ family: 4, index: vx }), fdb: await netlink.listFdb({ index: vx }), routes: await netlink.listRoutes({ family: 4 }) }, ownership);
    const desired = desiredVxlanState([lease('10.5.34.0/24', '192.168.77.2', '0e:2a:00:00:00:01'), lease('10.5.35.0/24', '192.168.77.3', '0e:2a:00:00:00:02')], device);
    const streamed = diffVxlanKernel(desired, reader.index);
    expect(streamed).toEqual(diffVxlanState(desired, dumped));
    expect(streamed.peers.map((peer) => peer.operations.map((operation) => operation.op))).toEqual([['replaceFdb']]);
    expect(streamed.staleRoutes.map((route) => route.destination)).toEqual(['10.5.36.0/24']);
  });

  it('finds what the kernel lists equal to the desired entries it was written from', async () => {
    hosts = createHostPair({ tag: 'vxsm' });
    netlink = await createNetlink({ netns: { name: hosts.a.name } });
    const eth0 = await netlink.getLink('eth0');
    const vx = (await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, underlayIndex: eth0.index, local: hosts.a.address, port: 8472, learning: false }, up: true })).index;
    const [peer] = desiredVxlanState([lease('10.5.34.0/24', '192.168.77.2', '0e:2a:00:00:00:01')], { family: 4, index: vx }).peers;
    await netlink.batch([{ op: 'replaceNeighbour', neighbour: peer!.neighbour! }, { op: 'replaceFdb', entry: peer!.fdb! }, { op: 'replaceRoute', route: peer!.route }]);
    const neighbour = (await netlink.listNeighbours({ family: 4, index: vx })).find((entry) => entry.address === '10.5.34.0');
    const fdb = (await netlink.listFdb({ index: vx })).find((entry) => entry.hardwareAddress === '0e:2a:00:00:00:01');
    const route = (await netlink.listRoutes({ family: 4 })).find((entry) => entry.destination === '10.5.34.0/24');
    expect(sameNeighbour(neighbour!, peer!.neighbour!)).toBe(true);
    expect(sameFdb(fdb!, peer!.fdb!)).toBe(true);
    expect(sameRoute(route!, peer!.route)).toBe(true);
  });
});
