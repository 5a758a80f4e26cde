import { IpNet } from '@flannel-ts/core';
import type { Lease, LeaseAttributes } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import { desiredVxlanState, diffVxlanState, ownedVxlanEntries, vxlanDiffOperations } from './vxlan-state.js';
import type { VxlanKernelState } from './vxlan-state.js';

const DEV = { family: 4 as const, index: 7 };
const EMPTY: VxlanKernelState = { neighbours: [], fdb: [], routes: [] };

function lease(subnet: string, publicIP: string, mac: string, extra: Partial<LeaseAttributes> = {}): Lease {
  return {
    enableIPv4: true,
    enableIPv6: false,
    subnet: IpNet.parse(subnet),
    attributes: { publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }), ...extra },
  };
}

const A = lease('10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:01');
const B = lease('10.5.12.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:02');

describe('desiredVxlanState', () => {
  it('gives each remote a permanent neighbour, a self FDB entry to its PublicIP and an onlink route, ordered by subnet', () => {
    const desired = desiredVxlanState([A, B], DEV);
    expect(desired.peers.map((peer) => peer.subnet)).toEqual(['10.5.12.0/24', '10.5.34.0/24']);
    expect(desired.peers[1]).toEqual({
      subnet: '10.5.34.0/24',
      publicIP: '192.168.1.2',
      neighbour: { family: 4, index: 7, address: '10.5.34.0', hardwareAddress: 'aa:aa:aa:aa:aa:01', state: 'permanent' },
      fdb: { index: 7, hardwareAddress: 'aa:aa:aa:aa:aa:01', destination: '192.168.1.2', self: true, state: 'permanent' },
      route: { family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 7, scope: 'universe', onlink: true, protocol: 70 },
    });
  });

  it('ignores leases of another backend type at debug level', () => {
    const foreign = lease('10.5.40.0/24', '192.168.1.9', 'aa:aa:aa:aa:aa:09', { backendType: 'host-gw' });
    const desired = desiredVxlanState([foreign], DEV);
    expect(desired.peers).toEqual([]);
    expect(desired.ignored).toEqual([{ lease: foreign, level: 'debug', reason: 'BackendType "host-gw" is not vxlan' }]);
  });

  it('ignores leases with unusable data at warn level instead of throwing', () => {
    const badMac = lease('10.5.41.0/24', '192.168.1.9', 'zz');
    const badIP = lease('10.5.42.0/24', '0.0.0.0', 'aa:aa:aa:aa:aa:09');
    const desired = desiredVxlanState([badMac, badIP], DEV);
    expect(desired.peers).toEqual([]);
    expect(desired.ignored.map((entry) => [entry.level, entry.reason])).toEqual([
      ['warn', 'BackendData.VtepMAC "zz" is invalid: must be a MAC address'],
      ['warn', 'PublicIP "0.0.0.0" is invalid: must be an IPv4 address'],
    ]);
  });

  it('routes directly via the PublicIP, with no neighbour or FDB entry, when the remote is on-link', () => {
    const desired = desiredVxlanState([A], DEV, { isDirect: (ip) => ip === '192.168.1.2' });
    expect(desired.peers).toEqual([{ subnet: '10.5.34.0/24', publicIP: '192.168.1.2', route: { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', protocol: 70 } }]);
  });

  it('programs IPv6 from the IPv6 subnet, PublicIPv6 and BackendV6Data', () => {
    const dual: Lease = {
      ...A,
      enableIPv6: true,
      ipv6Subnet: IpNet.parse('fd00:10:0:34::/64'),
      attributes: { ...A.attributes, publicIPv6: 'FD00::2', backendV6Data: encodeVxlanLeaseData({ vni: 1, vtepMac: 'ba:bb:bb:bb:bb:01' }) },
    };
    const [peer] = desiredVxlanState([dual, B], { family: 6, index: 8 }).peers;
    expect(peer).toEqual({
      subnet: 'fd00:10:0:34::/64',
      publicIP: 'fd00::2',
      neighbour: { family: 6, index: 8, address: 'fd00:10:0:34::', hardwareAddress: 'ba:bb:bb:bb:bb:01', state: 'permanent' },
      fdb: { index: 8, hardwareAddress: 'ba:bb:bb:bb:bb:01', destination: 'fd00::2', self: true, state: 'permanent' },
      route: { family: 6, destination: 'fd00:10:0:34::/64', gateway: 'fd00:10:0:34::', index: 8, scope: 'universe', onlink: true, protocol: 70 },
    });
  });
});

describe('diffVxlanState', () => {
  it('writes neighbour, FDB, route per peer in that order when the kernel is empty', () => {
    const ops = vxlanDiffOperations(diffVxlanState(desiredVxlanState([A], DEV), EMPTY));
    expect(ops.map((op) => op.op)).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute']);
  });

  it('is empty when the kernel already holds every entry', () => {
    const desired = desiredVxlanState([A, B], DEV);
    const actual: VxlanKernelState = {
      neighbours: desired.peers.map((peer) => ({ ...peer.neighbour!, hardwareAddress: peer.neighbour!.hardwareAddress!.toUpperCase() })),
      fdb: desired.peers.map((peer) => peer.fdb!),
      routes: desired.peers.map((peer) => ({ ...peer.route, protocol: 70, table: 254 })),
    };
    expect(vxlanDiffOperations(diffVxlanState(desired, actual))).toEqual([]);
  });

  it('rewrites only the entry that differs', () => {
    const desired = desiredVxlanState([A], DEV);
    const peer = desired.peers[0]!;
    const actual: VxlanKernelState = {
      neighbours: [{ ...peer.neighbour!, hardwareAddress: '00:00:00:00:00:01' }],
      fdb: [peer.fdb!],
      routes: [peer.route],
    };
    expect(vxlanDiffOperations(diffVxlanState(desired, actual))).toEqual([{ op: 'replaceNeighbour', neighbour: peer.neighbour }]);
  });

  it('removes a gone peer in reverse order: route, FDB, neighbour', () => {
    const gone = desiredVxlanState([A], DEV).peers[0]!;
    const actual: VxlanKernelState = { neighbours: [gone.neighbour!], fdb: [gone.fdb!], routes: [gone.route] };
    expect(vxlanDiffOperations(diffVxlanState(desiredVxlanState([], DEV), actual))).toEqual([
      { op: 'deleteRoute', route: gone.route },
      { op: 'deleteFdb', entry: gone.fdb },
      { op: 'deleteNeighbour', neighbour: gone.neighbour },
    ]);
  });

  it('switching a peer to a direct route replaces the route before dropping its neighbour and FDB entry', () => {
    const tunnel = desiredVxlanState([A], DEV).peers[0]!;
    const actual: VxlanKernelState = { neighbours: [tunnel.neighbour!], fdb: [tunnel.fdb!], routes: [tunnel.route] };
    const ops = vxlanDiffOperations(diffVxlanState(desiredVxlanState([A], DEV, { isDirect: () => true }), actual));
    expect(ops.map((op) => op.op)).toEqual(['replaceRoute', 'deleteFdb', 'deleteNeighbour']);
  });

  it('a peer with a new VTEP MAC gets the new FDB entry and loses the old one', () => {
    const old = desiredVxlanState([A], DEV).peers[0]!;
    const actual: VxlanKernelState = { neighbours: [old.neighbour!], fdb: [old.fdb!], routes: [old.route] };
    const moved = lease('10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:99');
    const ops = vxlanDiffOperations(diffVxlanState(desiredVxlanState([moved], DEV), actual));
    expect(ops.map((op) => op.op)).toEqual(['replaceNeighbour', 'replaceFdb', 'deleteFdb']);
  });
});

describe('ownedVxlanEntries', () => {
  const network = IpNet.parse('10.5.0.0/16');
  it('keeps entries on the device and its own direct routes into the network, and nothing else', () => {
    const kernel: VxlanKernelState = {
      neighbours: [
        { family: 4, index: 7, address: '10.5.34.0', hardwareAddress: 'aa:aa:aa:aa:aa:01', state: 'permanent' },
        { family: 4, index: 7, address: '10.5.35.0', hardwareAddress: 'aa:aa:aa:aa:aa:02', state: 'stale' },
        { family: 4, index: 2, address: '192.168.1.1', hardwareAddress: 'aa:aa:aa:aa:aa:03', state: 'permanent' },
      ],
      fdb: [
        { index: 7, hardwareAddress: 'aa:aa:aa:aa:aa:01', destination: '192.168.1.2', self: true, state: 'permanent' },
        { index: 2, hardwareAddress: 'aa:aa:aa:aa:aa:04', self: true, state: 'permanent' },
      ],
      routes: [
        { family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 7, onlink: true },
        { family: 4, destination: '10.5.36.0/24', gateway: '192.168.1.4', index: 2 }, // via a direct peer's PublicIP
        { family: 4, destination: '10.5.37.0/24', gateway: '192.168.1.9', index: 2, protocol: 70 }, // marked by flannel-ts
        { family: 4, destination: '10.5.38.0/24', gateway: '192.168.1.254', index: 2, protocol: 3 }, // the operator's, via the underlay gateway
        { family: 4, destination: '10.5.39.0/24', gateway: '192.168.1.254', index: 2, protocol: 4 }, // the same, proto static
        { family: 4, destination: '10.5.72.0/24', gateway: '192.168.1.1', index: 2, protocol: 70 },
        { family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 },
        { family: 4, destination: '10.5.0.0/16', gateway: '192.168.1.1', index: 2 },
        { family: 4, destination: '192.168.1.0/24', index: 2, scope: 'link' },
      ],
    };
    const owned = ownedVxlanEntries(kernel, {
      device: DEV,
      externalIndex: 2,
      network,
      ownSubnet: IpNet.parse('10.5.72.0/24'),
      knownGateways: new Set(['192.168.1.4']),
    });
    expect(owned.neighbours.map((entry) => entry.address)).toEqual(['10.5.34.0']);
    expect(owned.fdb.map((entry) => entry.hardwareAddress)).toEqual(['aa:aa:aa:aa:aa:01']);
    expect(owned.routes.map((route) => route.destination)).toEqual(['10.5.34.0/24', '10.5.36.0/24', '10.5.37.0/24']);
  });

  it('owns no route on the external interface without DirectRouting (no externalIndex given)', () => {
    const routes = [
      { family: 4 as const, destination: '10.5.36.0/24', gateway: '192.168.1.4', index: 2, protocol: 70 },
      { family: 4 as const, destination: '10.150.1.0/24', gateway: '192.168.77.1', index: 2 },
    ];
    expect(ownedVxlanEntries({ neighbours: [], fdb: [], routes }, { device: DEV, network: IpNet.parse('10.0.0.0/8') }).routes).toEqual([]);
  });
});
