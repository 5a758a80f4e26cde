import { testSubnetManager } from '@flannel-ts/core/testing/vitest';
import { startKubeHarness } from './test-support/kube-harness.js';

// Kubernetes assigns subnets (podCIDRs): no allocation, reservations or expiry. The own node's lease is
// its podCIDR; other nodes' leases are other Nodes. Deleting the own Node does not revoke anything
// (flannel: no effect on a running flanneld), so `revocation` is skipped too.
testSubnetManager(
  'kube',
  async () => {
    const harness = await startKubeHarness();
    const manager = harness.manager();
    const nameOf = (subnet: string): string => `peer-${subnet.replace(/[^0-9a-f]/g, '-')}`;
    return {
      manager,
      setConfig: (json) => harness.setConfig(json),
      putLease: (lease) => harness.putPeer(nameOf(lease.subnet?.toString() ?? lease.ipv6Subnet!.toString()), lease),
      deleteLease: (lease) => harness.server.deleteNode(nameOf(lease.subnet?.toString() ?? lease.ipv6Subnet!.toString())),
      close: () => harness.close(),
    };
  },
  { skip: ['allocation', 'reservations', 'revocation'] },
);
