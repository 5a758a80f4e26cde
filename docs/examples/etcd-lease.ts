// Run flannel's etcd lease manager: read the config, acquire a lease, keep it, watch the other nodes.
// Needs an etcd v3 at $ETCD_ENDPOINTS (default http://127.0.0.1:2379). It works under a throw-away
// prefix unless $ETCD_PREFIX is set, so it never touches a real cluster's /coreos.com/network.
// Run: ETCD_ENDPOINTS=http://127.0.0.1:2379 pnpm exec tsx docs/examples/etcd-lease.ts
import { randomBytes } from 'node:crypto';
import { FlannelError, IpNet, watchLeaseEvents } from '@flannel-ts/core';
import { prefixRangeEnd } from '@flannel-ts/etcd-client';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';

const prefix = process.env.ETCD_PREFIX ?? `/flannel-ts-example-${randomBytes(3).toString('hex')}/coreos.com/network`;
const manager = createEtcdSubnetManager({
  endpoints: process.env.ETCD_ENDPOINTS ?? 'http://127.0.0.1:2379', // --etcd-endpoints, comma-separated
  prefix, //                                                            --etcd-prefix
  renewMargin: 60, //                                                   --subnet-lease-renew-margin (minutes)
});
const controller = new AbortController();
try {
  if (process.env.ETCD_PREFIX === undefined) {
    // What `etcdctl put /coreos.com/network/config '…'` does; flannel-ts itself never writes the config.
    await manager.client.put({ key: Buffer.from(manager.keys.config), value: Buffer.from('{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}') });
  }
  const config = await manager.getNetworkConfig(); // rejects CONFIG_NOT_FOUND (retryable) until it exists
  console.log(`network ${config.network?.toString()}, backend ${config.backendType}`);

  // Another node, written as flanneld would (a lease key with a 24 h etcd lease would be usual).
  await manager.client.put({
    key: Buffer.from(`${manager.keys.subnets}10.5.34.0-24`),
    value: Buffer.from('{"PublicIP":"192.168.0.11","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:2a:00:00:00:01"}}'),
  });

  // This node. `previous` (from the old subnet.env) is asked for first when it is free.
  const lease = await manager.acquireLease(
    { publicIP: '192.168.0.10', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"0e:2a:00:00:00:02"}' },
    { previous: { subnet: IpNet.parse('10.5.72.0/24') } },
  );
  console.log(`leased ${lease.subnet?.toString()} until ${lease.expiration?.toISOString()}`);

  // Renews before expiry until the signal aborts; rejects LEASE_REVOKED if the key is deleted under us.
  const kept = manager.completeLease(lease, { signal: controller.signal });

  // Other nodes' leases: the first batch is the initial set (always yielded), then changes.
  for await (const batch of watchLeaseEvents(manager, lease, controller.signal)) {
    for (const event of batch) console.log(event.type, event.lease.subnet?.toString(), event.lease.attributes.publicIP);
    break; // a real agent keeps iterating and programs the kernel for each batch
  }
  controller.abort();
  await kept;
} catch (error) {
  if (FlannelError.isInstance(error)) console.error(`${error.code}: ${error.message}`);
  throw error;
} finally {
  controller.abort();
  if (process.env.ETCD_PREFIX === undefined) {
    const root = Buffer.from(prefix.replace(/coreos\.com\/network$/, ''));
    await manager.client.deleteRange({ key: root, rangeEnd: prefixRangeEnd(root) });
  }
  await manager.close();
}
