// etcd goes away under running daemons: traffic keeps flowing (the data path does not depend on etcd), the
// daemons keep running, and once etcd is back a host that joins is programmed on the others.
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { addPodBridges, converge, pingFrom, readEnv, routeLines, startCluster, startDaemon, waitReady } from './cluster.js';

describe.skipIf(!isRoot())(`flannel-ts through an etcd outage ${rootSkipReason() ?? ''}`, () => {
  let cluster: Cluster;
  let pods: string[] = [];
  beforeAll(async () => {
    cluster = await startCluster({ hosts: 2, config: { Network: '10.12.0.0/16', Backend: { Type: 'vxlan' } } });
    ({ pods } = await addPodBridges(cluster));
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('keeps traffic and daemons up while etcd is down, and picks up a new host once it is back', async () => {
    const [first, second] = cluster.nodes as [Cluster['nodes'][number], Cluster['nodes'][number]];
    // Each host is ready once its own lease is taken; the other's route follows from the watch.
    for (const [index, node] of cluster.nodes.entries()) {
      const other = pods[1 - index]!.replace(/\.1$/u, '.0');
      const read = async () => (await routeLines(node.host, 4, 'flannel.1')).some((line) => line.startsWith(`${other}/24 `));
      expect(await converge(read, true)).toBe(true);
    }
    expect(await pingFrom(first.host, pods[0]!, pods[1]!)).toBe(true);
    await cluster.lab.etcd.kill(0);
    expect(await pingFrom(first.host, pods[0]!, pods[1]!)).toBe(true);
    expect(await pingFrom(second.host, pods[1]!, pods[0]!)).toBe(true);
    await cluster.lab.etcd.restart(0);
    expect(first.process.exit).toBeUndefined();
    expect(second.process.exit).toBeUndefined();

    const third = await cluster.lab.addHost();
    const subnetFile = `${cluster.lab.tempDir}/${third.name}-subnet.env`;
    await waitReady(startDaemon(cluster.lab, third, subnetFile));
    const subnet = (await readEnv(subnetFile)).get('FLANNEL_SUBNET')!.replace(/\.1\//, '.0/');
    const want = [`${subnet} via ${subnet.split('/')[0]} dev flannel.1 onlink`];
    for (const node of [first, second]) {
      const read = async () => (await routeLines(node.host, 4, 'flannel.1')).filter((line) => line.startsWith(subnet));
      expect(await converge(read, want, 30_000)).toEqual(want);
    }
  });
});
