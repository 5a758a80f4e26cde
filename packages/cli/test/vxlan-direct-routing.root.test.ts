// vxlan with DirectRouting (`pkg/backend/vxlan/vxlan_network.go`): hosts on one L2 segment get a plain route via the remote host's
// underlay address, like host-gw, and no neighbour or FDB entry on flannel.1.
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { addPodBridges, converge, fdbLines, neighbourLines, pingFrom, readEnv, routeLines, startCluster, underlayRoutesFrom } from './cluster.js';

describe.skipIf(!isRoot())(`flannel-ts vxlan DirectRouting on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: Cluster;
  let subnets: string[] = [];
  let pods: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ hosts: 3, config: { Network: '10.7.0.0/16', Backend: { Type: 'vxlan', DirectRouting: true } } });
    ({ subnets, pods } = await addPodBridges(cluster));
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('routes directly reachable hosts via their underlay address, with nothing on flannel.1', async () => {
    for (const [index, node] of cluster.nodes.entries()) {
      const want = underlayRoutesFrom(cluster, subnets, index);
      const read = async () => (await routeLines(node.host, 4)).filter((line) => line.startsWith('10.7.') && line.includes(' via '));
      expect(await converge(read, want)).toEqual(want);
      expect(await neighbourLines(node.host, 4, 'flannel.1')).toEqual([]);
      expect(await fdbLines(node.host, 'flannel.1')).toEqual([]);
      expect((await readEnv(node.subnetFile)).get('FLANNEL_MTU')).toBe('1450');
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
