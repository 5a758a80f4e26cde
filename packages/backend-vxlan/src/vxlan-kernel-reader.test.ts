import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import type { FdbEntry, Neighbour, Route } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { expectedVxlanEntries, sameFdb, sameNeighbour, sameRoute, VxlanKernelReader } from './vxlan-kernel-reader.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import { desiredVxlanState, diffVxlanKernel, diffVxlanState } from './vxlan-state.js';
import type { VxlanKernelState } from './vxlan-state.js';

const DEV = { family: 4 as const, index: 7 };
const OWNERSHIP = { device: DEV, network: IpNet.parse('10.5.0.0/16'), ownSubnet: IpNet.parse('10.5.1.0/24') };

const lease = (subnet: string, publicIP: string, mac: string): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }) },
});

/** The entries as the kernel lists them after the peers were written (every default spelled out). */
const listed = (state: ReturnType<typeof desiredVxlanState>): VxlanKernelState => ({
  neighbours: state.peers.map((peer): Neighbour => ({ ...peer.neighbour!, hardwareAddress: peer.neighbour!.hardwareAddress!.toUpperCase() })),
  fdb: state.peers.map((peer): FdbEntry => ({ ...peer.fdb!, master: false })),
  routes: state.peers.map((peer): Route => ({ ...peer.route, table: 254, type: 'unicast' })),
});

function read(reader: VxlanKernelReader, kernel: VxlanKernelState): void {
  for (const entry of kernel.neighbours) reader.neighbours.entry(entry);
  for (const entry of kernel.fdb) reader.fdb.entry(entry);
  for (const route of kernel.routes) reader.routes.entry(route);
}

describe('VxlanKernelReader', () => {
  const desired = desiredVxlanState([lease('10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:01'), lease('10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:02')], DEV);

  it('files each listed entry equal to an expected one as the expected object, so the listed copy is not kept', () => {
    const reader = new VxlanKernelReader(() => expectedVxlanEntries(desired.peers), OWNERSHIP);
    read(reader, listed(desired));
    const [first] = desired.peers;
    expect(reader.index.neighbours.get('10.5.34.0')).toBe(first!.neighbour);
    expect(reader.index.fdb.get('aa:aa:aa:aa:aa:01')).toBe(first!.fdb);
    expect(reader.index.routes.get('10.5.34.0/24')).toBe(first!.route);
    expect(diffVxlanKernel(desired, reader.index)).toEqual({ staleRoutes: [], peers: [], staleFdb: [], staleNeighbours: [] });
  });

  it('keeps entries that differ and leaves out the ones the network does not own; its diff is the dumped lists’ diff', () => {
    const kernel = listed(desired);
    const changed: VxlanKernelState = {
      neighbours: [...kernel.neighbours, { family: 4, index: 7, address: '10.5.40.0', hardwareAddress: 'aa:aa:aa:aa:aa:40', state: 'reachable' }],
      fdb: [{ ...kernel.fdb[0]!, destination: '192.168.1.99' }, kernel.fdb[1]!, { index: 8, hardwareAddress: 'aa:aa:aa:aa:aa:41', destination: '192.168.1.41' }],
      routes: [
        kernel.routes[0]!,
        { ...kernel.routes[1]!, onlink: false },
        { family: 4, destination: '10.5.36.0/24', gateway: '10.5.36.0', index: 7, onlink: true }, // stale, ours
        { family: 4, destination: '10.5.1.0/24', gateway: '10.5.1.0', index: 7, onlink: true }, // own subnet
        { family: 4, destination: '10.9.0.0/24', gateway: '10.9.0.0', index: 7, onlink: true }, // outside the network
      ],
    };
    const reader = new VxlanKernelReader(() => expectedVxlanEntries(desired.peers), OWNERSHIP);
    read(reader, changed);
    expect(reader.index.fdb.get('aa:aa:aa:aa:aa:01')).toMatchObject({ destination: '192.168.1.99' });
    expect(reader.index.routes.get('10.5.35.0/24')).toMatchObject({ onlink: false });
    expect([...reader.index.routes.keys()]).toEqual(['10.5.34.0/24', '10.5.35.0/24', '10.5.36.0/24']);
    expect([...reader.index.neighbours.keys()]).toEqual(['10.5.34.0', '10.5.35.0']);
    expect([...reader.index.fdb.keys()]).toEqual(['aa:aa:aa:aa:aa:01', 'aa:aa:aa:aa:aa:02']);
    const owned = { neighbours: changed.neighbours.slice(0, 2), fdb: changed.fdb.slice(0, 2), routes: changed.routes.slice(0, 3) };
    expect(diffVxlanKernel(desired, reader.index)).toEqual(diffVxlanState(desired, owned));
  });

  it('builds the expected entries only once an owned entry needs them: an empty device never does', () => {
    let built = 0;
    const reader = new VxlanKernelReader(() => {
      built += 1;
      return expectedVxlanEntries(desired.peers);
    }, OWNERSHIP);
    reader.fdb.entry({ index: 8, hardwareAddress: 'aa:aa:aa:aa:aa:41', destination: '192.168.1.41' });
    expect([built, reader.expected]).toEqual([0, undefined]);
    read(reader, listed(desired));
    expect(built).toBe(1);
    expect(reader.expected?.peers.size).toBe(2);
  });

  it('forgets what a dump gave when it restarts (the kernel interrupted it)', () => {
    const reader = new VxlanKernelReader(() => expectedVxlanEntries(desired.peers), OWNERSHIP);
    read(reader, listed(desired));
    reader.routes.restart();
    reader.fdb.restart();
    reader.neighbours.restart();
    expect([reader.index.routes.size, reader.index.fdb.size, reader.index.neighbours.size]).toEqual([0, 0, 0]);
  });
});

describe('sameNeighbour, sameFdb, sameRoute', () => {
  const [peer] = desiredVxlanState([lease('10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:01')], DEV).peers;

  it('let the expected entry stand in only when every field the diff compares or a delete sends is equal', () => {
    expect(sameNeighbour({ ...peer!.neighbour! }, peer!.neighbour!)).toBe(true);
    expect(sameNeighbour({ ...peer!.neighbour!, state: 'stale' }, peer!.neighbour!)).toBe(false);
    expect(sameNeighbour({ ...peer!.neighbour!, index: 8 }, peer!.neighbour!)).toBe(false);
    expect(sameFdb({ ...peer!.fdb!, master: false }, peer!.fdb!)).toBe(true);
    expect(sameFdb({ ...peer!.fdb!, vni: 2 }, peer!.fdb!)).toBe(false);
    expect(sameFdb({ ...peer!.fdb!, destination: '192.168.1.3' }, peer!.fdb!)).toBe(false);
    expect(sameRoute({ ...peer!.route, table: 254, type: 'unicast' }, peer!.route)).toBe(true);
    expect(sameRoute({ ...peer!.route, priority: 100 }, peer!.route)).toBe(false);
    expect(sameRoute({ ...peer!.route, protocol: 3 }, peer!.route)).toBe(false);
    expect(sameRoute({ ...peer!.route, mtu: 1400 }, peer!.route)).toBe(false);
    expect(sameRoute({ ...peer!.route, table: 100 }, peer!.route)).toBe(false);
  });
});
