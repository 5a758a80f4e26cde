import { IpNet, type Lease, type LeaseAttributes } from '@flannel-ts/core';
import type { KubeNode } from '@flannel-ts/kube-client';
import type { KubeAnnotationNames } from './kube-annotations.js';
import { podCidrsOf } from './pod-cidrs.js';

/** What {@link nodeToLease} needs besides the node. */
export interface NodeToLeaseContext {
  readonly names: KubeAnnotationNames;
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  /** This node's name (flannel puts it in one error message). */
  readonly ownNodeName: string;
}

/** Whether flannel considers the node: annotation `kube-subnet-manager` is exactly `"true"`. */
export function isFlannelManaged(node: KubeNode, names: KubeAnnotationNames): boolean {
  return node.annotations[names.subnetKubeManaged] === 'true';
}

/**
 * A peer's lease from its Node, exactly as flannel's `nodeToLease` (`pkg/subnet/kube/kube.go`): with IPv4,
 * `public-ip` must be an IPv4 address, `backend-data` is taken as is and the subnet is the first IPv4 pod
 * CIDR; with IPv6 likewise with `public-ipv6`, `backend-v6-data` and the first IPv6 pod CIDR;
 * `backend-type` as is. Leases from Kubernetes never expire. Returns `{ error }` (flannel's text) when the
 * node cannot be turned into a lease; the caller logs and skips it.
 *
 * @example
 * ```ts
 * const result = nodeToLease(node, { names: kubeAnnotations(), enableIPv4: true, enableIPv6: false, ownNodeName: 'n1' });
 * if ('lease' in result) peers.push(result.lease);
 * ```
 */
export function nodeToLease(node: KubeNode, context: NodeToLeaseContext): { readonly lease: Lease } | { readonly error: string } {
  const { names } = context;
  const annotations = node.annotations;
  let cidrs;
  try {
    cidrs = podCidrsOf(node, context.ownNodeName, 'first');
  } catch (error) {
    return { error: (error as Error).message };
  }
  let publicIP = '0.0.0.0';
  let publicIPv6: string | undefined;
  if (context.enableIPv4) {
    const text = annotations[names.publicIP] ?? '';
    if (!IpNet.isAddress(text, 4)) return { error: `annotation ${names.publicIP} "${text}" is not an IPv4 address` };
    publicIP = IpNet.canonicalAddress(text, 4);
    if (cidrs.v4 === undefined) return { error: 'missing IPv4 address on n.Spec.PodCIDRs' };
  }
  if (context.enableIPv6) {
    const text = annotations[names.publicIPv6] ?? '';
    if (!IpNet.isAddress(text, 6)) return { error: `annotation ${names.publicIPv6} "${text}" is not an IPv6 address` };
    publicIPv6 = IpNet.canonicalAddress(text, 6);
    if (cidrs.v6 === undefined) return { error: 'missing IPv6 address on n.Spec.PodCIDRs' };
  }
  const backendType = annotations[names.backendType] ?? '';
  const backendData = annotations[names.backendData] ?? '';
  const backendV6Data = annotations[names.backendV6Data] ?? '';
  const attributes: LeaseAttributes = {
    publicIP,
    ...(publicIPv6 !== undefined && { publicIPv6 }),
    ...(backendType !== '' && { backendType }),
    ...(context.enableIPv4 && backendData !== '' && { backendData }),
    ...(context.enableIPv6 && backendV6Data !== '' && { backendV6Data }),
  };
  return {
    lease: {
      enableIPv4: context.enableIPv4,
      enableIPv6: context.enableIPv6,
      ...(context.enableIPv4 && { subnet: cidrs.v4! }),
      ...(context.enableIPv6 && { ipv6Subnet: cidrs.v6! }),
      attributes,
    },
  };
}

/**
 * The annotation values whose change makes a peer's update an event: the v4 triple (`backend-data`,
 * `backend-type`, `public-ip`) when IPv4 is on and the v6 triple when IPv6 is on. Two nodes with the same
 * key produce the same lease. An absent annotation counts as empty, as flannel's Go map lookups read it
 * (`handleUpdateLeaseEvent`): a udp node's `backend-type: ""` appearing or vanishing is no change.
 */
export function leaseAnnotationKey(node: KubeNode, context: NodeToLeaseContext): string {
  const a = node.annotations;
  const n = context.names;
  const keys = [n.backendType];
  if (context.enableIPv4) keys.push(n.backendData, n.publicIP);
  if (context.enableIPv6) keys.push(n.backendV6Data, n.publicIPv6);
  return JSON.stringify(keys.map((key) => a[key] ?? ''));
}
