import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import { diffVxlanPeers, vxlanPeerKey } from './vxlan-programmed.js';
import type { VxlanProgrammed } from './vxlan-programmed.js';
import { desiredVxlanState, vxlanDiffOperations } from './vxlan-state.js';

const device = { family: 4, index: 7 } as const;

function lease(n: number, mac: string, publicIP = `192.168.1.${n}`): Lease {
  return {
    enableIPv4: true,
    enableIPv6: false,
    subnet: IpNet.parse(`10.5.${n}.0/24`),
    attributes: { publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }) },
  };
}

function programmed(...leases: Lease[]): VxlanProgrammed {
  return new Map(desiredVxlanState(leases, device).peers.map((peer) => [peer.subnet, peer]));
}

const ops = (diff: ReturnType<typeof diffVxlanPeers>): string[] =>
  vxlanDiffOperations(diff).map((operation) => `${operation.op} ${JSON.stringify(Object.values(operation)[1])}`);

describe('diffVxlanPeers', () => {
  it('programs a new peer in flannel order and touches no other peer', () => {
    const model = programmed(lease(1, 'aa:00:00:00:00:01'));
    const diff = diffVxlanPeers(desiredVxlanState([lease(2, 'aa:00:00:00:00:02')], device), model, ['10.5.2.0/24']);
    expect(vxlanDiffOperations(diff).map((operation) => operation.op)).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute']);
    expect(diff.staleRoutes).toEqual([]);
  });

  it('removes a gone peer in reverse order, from the model alone', () => {
    const model = programmed(lease(1, 'aa:00:00:00:00:01'), lease(2, 'aa:00:00:00:00:02'));
    const diff = diffVxlanPeers(desiredVxlanState([], device), model, ['10.5.2.0/24']);
    expect(ops(diff)).toEqual([
      'deleteRoute {"family":4,"destination":"10.5.2.0/24","gateway":"10.5.2.0","index":7,"scope":"universe","onlink":true,"protocol":70}',
      'deleteFdb {"index":7,"hardwareAddress":"aa:00:00:00:00:02","destination":"192.168.1.2","self":true,"state":"permanent"}',
      'deleteNeighbour {"family":4,"index":7,"address":"10.5.2.0","hardwareAddress":"aa:00:00:00:00:02","state":"permanent"}',
    ]);
  });

  it('is empty for a lease that matches what is programmed, and for a subnet it never had', () => {
    const model = programmed(lease(1, 'aa:00:00:00:00:01'));
    expect(vxlanDiffOperations(diffVxlanPeers(desiredVxlanState([lease(1, 'aa:00:00:00:00:01')], device), model, ['10.5.1.0/24']))).toEqual([]);
    expect(vxlanDiffOperations(diffVxlanPeers(desiredVxlanState([], device), model, ['10.5.9.0/24']))).toEqual([]);
  });

  it('rewrites only what changed when a PublicIP moves', () => {
    const model = programmed(lease(1, 'aa:00:00:00:00:01'));
    const diff = diffVxlanPeers(desiredVxlanState([lease(1, 'aa:00:00:00:00:01', '192.168.2.1')], device), model, ['10.5.1.0/24']);
    expect(vxlanDiffOperations(diff).map((operation) => operation.op)).toEqual(['replaceFdb']);
  });

  it('keeps an FDB entry another programmed peer shares when one of them goes', () => {
    const model = programmed(lease(1, 'aa:00:00:00:00:01'), lease(2, 'aa:00:00:00:00:01', '192.168.1.1'));
    const diff = diffVxlanPeers(desiredVxlanState([], device), model, ['10.5.1.0/24']);
    expect(vxlanDiffOperations(diff).map((operation) => operation.op)).toEqual(['deleteRoute', 'deleteNeighbour']);
  });
});

describe('vxlanPeerKey', () => {
  it('is the subnet of the family as VxlanPeer.subnet spells it', () => {
    const dual: Lease = { ...lease(1, 'aa:00:00:00:00:01'), enableIPv6: true, ipv6Subnet: IpNet.parse('fd10:0:0:1::/64') };
    expect(vxlanPeerKey(dual, 4)).toBe('10.5.1.0/24');
    expect(vxlanPeerKey(dual, 6)).toBe('fd10:0:0:1::/64');
    expect(vxlanPeerKey(lease(1, 'aa:00:00:00:00:01'), 6)).toBeUndefined();
  });
});
