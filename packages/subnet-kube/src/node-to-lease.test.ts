import { describe, expect, it } from 'vitest';
import type { KubeNode } from '@flannel-ts/kube-client';
import { kubeAnnotations } from './kube-annotations.js';
import { leaseAnnotationKey, nodeToLease, type NodeToLeaseContext } from './node-to-lease.js';
import { podCidrsOf } from './pod-cidrs.js';

const names = kubeAnnotations();
const V4: NodeToLeaseContext = { names, enableIPv4: true, enableIPv6: false, ownNodeName: 'me' };
const V6: NodeToLeaseContext = { ...V4, enableIPv4: false, enableIPv6: true };
const DUAL: NodeToLeaseContext = { ...V4, enableIPv6: true };

function node(podCIDRs: string[], annotations: Record<string, string> = {}, podCIDR = podCIDRs[0] ?? ''): KubeNode {
  return {
    name: 'peer',
    resourceVersion: '1',
    podCIDR,
    podCIDRs,
    annotations: {
      [names.subnetKubeManaged]: 'true',
      [names.backendType]: 'vxlan',
      [names.backendData]: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}',
      [names.publicIP]: '192.168.0.2',
      [names.backendV6Data]: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:01"}',
      [names.publicIPv6]: 'fd00::2',
      ...annotations,
    },
  };
}

function summary(result: ReturnType<typeof nodeToLease>): string {
  if ('error' in result) return `error: ${result.error}`;
  const { lease } = result;
  return [lease.subnet?.toString(), lease.ipv6Subnet?.toString(), lease.attributes.publicIP, lease.attributes.publicIPv6].join(' ');
}

describe('nodeToLease', () => {
  it.each([
    ['podCIDR only', V4, node([], {}, '10.244.1.0/24'), '10.244.1.0/24  192.168.0.2 '],
    ['first IPv4 of podCIDRs', V4, node(['fd00:1::/64', '10.244.1.0/24']), '10.244.1.0/24  192.168.0.2 '],
    ['IPv6 only', V6, node(['fd00:1::/64']), ' fd00:1::/64 0.0.0.0 fd00::2'],
    ['dual stack', DUAL, node(['10.244.1.0/24', 'fd00:1::/64']), '10.244.1.0/24 fd00:1::/64 192.168.0.2 fd00::2'],
    ['no IPv4 CIDR', V4, node(['fd00:1::/64']), 'error: missing IPv4 address on n.Spec.PodCIDRs'],
    ['no IPv6 CIDR', DUAL, node(['10.244.1.0/24']), 'error: missing IPv6 address on n.Spec.PodCIDRs'],
    ['more than two CIDRs', V4, node(['10.244.1.0/24', 'fd00:1::/64', '10.244.9.0/24']), 'error: node "me" pod cidrs should be IPv4/IPv6 only or dualstack (node "peer" has 3)'],
    ['no podCIDR at all', V4, node([], {}, ''), 'error: invalid CIDR address: '],
    ['public-ip missing', V4, node(['10.244.1.0/24'], { [names.publicIP]: '' }), `error: annotation ${names.publicIP} "" is not an IPv4 address`],
    ['public-ip not IPv4', V4, node(['10.244.1.0/24'], { [names.publicIP]: 'fd00::1' }), `error: annotation ${names.publicIP} "fd00::1" is not an IPv4 address`],
  ])('%s', (_name, context, input, expected) => {
    expect(summary(nodeToLease(input, context))).toBe(expected);
  });

  it('keeps backend type and data text as written', () => {
    const result = nodeToLease(node(['10.244.1.0/24']), V4);
    expect('lease' in result && result.lease.attributes).toEqual({
      publicIP: '192.168.0.2',
      backendType: 'vxlan',
      backendData: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}',
    });
  });

  it('changes its key when any lease annotation of an enabled family changes, not for others', () => {
    const base = node(['10.244.1.0/24', 'fd00:1::/64']);
    const other = node(['10.244.1.0/24', 'fd00:1::/64'], { [names.publicIP]: '192.168.0.9' });
    const unrelated = node(['10.244.1.0/24', 'fd00:1::/64'], { 'kubeadm.alpha.kubernetes.io/cri-socket': 'x' });
    expect(leaseAnnotationKey(base, DUAL)).not.toBe(leaseAnnotationKey(other, DUAL));
    expect(leaseAnnotationKey(base, V6)).toBe(leaseAnnotationKey(other, V6));
    expect(leaseAnnotationKey(base, DUAL)).toBe(leaseAnnotationKey(unrelated, DUAL));
  });
});

describe('leaseAnnotationKey (udp)', () => {
  it('treats an absent backend-type or backend-data as empty, as a Go map lookup does: adding it empty is no change', () => {
    const udp = node(['10.244.1.0/24'], { [names.backendType]: '', [names.backendData]: '' });
    const bare = node(['10.244.1.0/24']);
    delete (bare.annotations as Record<string, string>)[names.backendType];
    delete (bare.annotations as Record<string, string>)[names.backendData];
    expect(leaseAnnotationKey(bare, V4)).toBe(leaseAnnotationKey(udp, V4));
    expect(leaseAnnotationKey(bare, V4)).not.toBe(leaseAnnotationKey(node(['10.244.1.0/24'], { [names.backendType]: '', [names.backendData]: 'null' }), V4));
  });

  it("turns a flanneld udp node (backend-type \"\", backend-data null) into a lease with PublicIP and no BackendType", () => {
    const udp = node(['10.244.1.0/24'], { [names.backendType]: '', [names.backendData]: 'null' });
    const result = nodeToLease(udp, V4);
    expect('lease' in result && result.lease.attributes).toEqual({ publicIP: '192.168.0.2', backendData: 'null' });
  });
});

describe('podCidrsOf', () => {
  it('takes the last entry of each family for the own node (AcquireLease has no break)', () => {
    const own = node(['10.244.1.0/24', '10.244.2.0/24']);
    expect(podCidrsOf(own, 'me', 'last').v4?.toString()).toBe('10.244.2.0/24');
    expect(podCidrsOf(own, 'me', 'first').v4?.toString()).toBe('10.244.1.0/24');
  });
});
