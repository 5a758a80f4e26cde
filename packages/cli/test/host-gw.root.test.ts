// flannel-ts host-gw on three lab hosts (`pkg/backend/hostgw/hostgw.go`): one route per remote subnet via the remote host's
// underlay address on eth0, no device, MTU of the interface; pod traffic between every pair.
import { readFile } from 'node:fs/promises';
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { addPodBridges, converge, etcdLeases, linkDetails, pingFrom, PREFIX, routeLines, startCluster, subnetKey, underlayRoutesFrom } from './cluster.js';

describe.skipIf(!isRoot())(`flannel-ts host-gw on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: Cluster;
  let subnets: string[] = [];
  let pods: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ hosts: 3, config: { Network: '10.6.0.0/16', Backend: { Type: 'host-gw' } } });
    ({ subnets, pods } = await addPodBridges(cluster));
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('writes subnet.env with the interface MTU and keeps host-gw lease JSON in etcd', async () => {
    const leases = await etcdLeases(cluster.lab);
    for (const [index, node] of cluster.nodes.entries()) {
      expect(await readFile(node.subnetFile, 'utf8')).toBe(`FLANNEL_NETWORK=10.6.0.0/16\nFLANNEL_SUBNET=${pods[index]}/24\nFLANNEL_MTU=1500\nFLANNEL_IPMASQ=false\n`);
      expect(leases.get(`${PREFIX}/subnets/${subnetKey(subnets[index]!)}`)).toBe(`{"PublicIP":"${node.host.address}","PublicIPv6":null,"BackendType":"host-gw"}`);
      expect(await linkDetails(node.host, 'flannel.1')).toBeUndefined();
    }
  });

  it('routes every remote subnet via the remote host on eth0, and nothing else', async () => {
    for (const [index, node] of cluster.nodes.entries()) {
      const want = underlayRoutesFrom(cluster, subnets, index);
      const read = async () => (await routeLines(node.host, 4)).filter((line) => line.startsWith('10.6.') && line.includes(' via '));
      expect(await converge(read, want)).toEqual(want);
    }
  });

  it('carries pod traffic between every pair of hosts', async () => {
    for (const [from, node] of cluster.nodes.entries()) {
      for (const [to] of cluster.nodes.entries()) {
        if (from !== to) expect(await pingFrom(node.host, pods[from]!, pods[to]!), `h${from + 1} → h${to + 1}`).toBe(true);
      }
    }
  });
});
