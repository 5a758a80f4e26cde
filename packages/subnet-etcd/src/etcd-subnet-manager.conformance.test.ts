import { IpNet, leaseAttributes, leaseKey } from '@flannel-ts/core';
import { testSubnetManager } from '@flannel-ts/core/testing/vitest';
import { afterAll, beforeAll } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { createEtcdSubnetManager } from './etcd-subnet-manager.js';
import { deleteKey, grantLease, putKey } from './test-support/etcd-writes.js';

let etcd: LocalEtcd;
let counter = 0;
beforeAll(async () => {
  etcd = await startLocalEtcd();
});
afterAll(async () => {
  await etcd?.close();
});

const EMPTY_IPV4 = IpNet.parse('0.0.0.0/0');

testSubnetManager('etcd', () => {
  counter += 1;
  const prefix = `/conformance${counter}/coreos.com/network`;
  const manager = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix });
  const { client } = manager;
  const keyOf = (lease: { subnet?: IpNet; ipv6Subnet?: IpNet }): string =>
    `${prefix}/subnets/${leaseKey.encode({ subnet: lease.subnet ?? EMPTY_IPV4, ...(lease.ipv6Subnet && { ipv6Subnet: lease.ipv6Subnet }) })}`;
  return {
    manager,
    setConfig: async (configJson) => {
      await putKey(client, `${prefix}/config`, configJson);
    },
    putLease: async (lease) => {
      const granted = lease.ttlMs === undefined ? undefined : await grantLease(client, Math.max(1, Math.ceil(lease.ttlMs / 1000)));
      await putKey(client, keyOf(lease), leaseAttributes.encode(lease.attributes), granted);
    },
    deleteLease: (lease) => {
      // Not awaited on purpose: the suite attaches its handler to a running completeLease only after
      // this returns, and etcd's watch event (→ LEASE_REVOKED) can beat the delete's own response, which
      // would make that rejection "unhandled". The request still goes out before any watch event can.
      void deleteKey(client, keyOf(lease)).catch((error: unknown) => console.error('harness deleteLease failed', error));
    },
    close: async () => {
      await manager.close();
      // The suite may have closed the manager (and its client) already: clean up through etcdctl.
      await etcd.etcdctl(['del', '--prefix', `${prefix}/`]);
    },
  };
});
