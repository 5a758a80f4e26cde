import { IpNet } from '@flannel-ts/core';
import type { KubeNode } from '@flannel-ts/kube-client';

/** A node's pod CIDRs by family. */
export interface PodCidrs {
  readonly v4?: IpNet;
  readonly v6?: IpNet;
}

/**
 * The CIDRs of a Node's `spec.podCIDRs` (or `spec.podCIDR` when the list is empty), as flannel's `nodeToLease`
 * picks them for **peers**: the **first** entry of each family. More than two entries is an error. Throws
 * `Error` with flannel's texts; `RangeError` for an unparsable CIDR.
 *
 * `whichWins: 'last'` is `AcquireLease`'s variant for the own node (no `break`: the last entry of each family).
 *
 * @example
 * ```ts
 * podCidrsOf(node, 'node1') // { v4: IpNet('10.244.1.0/24'), v6: IpNet('fd00::/64') }
 * ```
 */
export function podCidrsOf(node: KubeNode, ownNodeName: string, whichWins: 'first' | 'last' = 'first'): PodCidrs {
  if (node.podCIDRs.length > 2) {
    // flannel names its own node here, not the one at fault (kube.go); the node at fault is added.
    throw new Error(`node "${ownNodeName}" pod cidrs should be IPv4/IPv6 only or dualstack (node "${node.name}" has ${node.podCIDRs.length})`);
  }
  const texts = node.podCIDRs.length === 0 ? [node.podCIDR] : node.podCIDRs;
  let v4: IpNet | undefined;
  let v6: IpNet | undefined;
  for (const text of texts) {
    if (text === '') throw new RangeError('invalid CIDR address: ');
    const cidr = IpNet.parse(text);
    if (cidr.family === 4) {
      if (v4 === undefined || whichWins === 'last') v4 = cidr;
    } else if (v6 === undefined || whichWins === 'last') v6 = cidr;
  }
  return { ...(v4 !== undefined && { v4 }), ...(v6 !== undefined && { v6 }) };
}
