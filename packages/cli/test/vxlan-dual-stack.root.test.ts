// vxlan dual stack on three hosts (`pkg/backend/vxlan/vxlan.go`, `pkg/subnet/etcd/registry.go`, `pkg/subnet/subnet.go` `WriteSubnetFile`): flannel.1 and flannel-v6.1, dual lease keys
// and JSON, both FLANNEL_*SUBNET lines, one route/neighbour/FDB entry per remote per family, and pod
// traffic over IPv4 and IPv6 between every pair.
import { readFile } from 'node:fs/promises';
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { addPodBridge, converge, etcdLeases, fdbLines, linkDetails, neighbourLines, pingFrom, PREFIX, readEnv, routeLines, startCluster } from './cluster.js';

interface Facts {
  subnet: string;
  subnet6: string;
  pod: string;
  pod6: string;
  mac: string;
  mac6: string;
  underlay: string;
  underlay6: string;
}

describe.skipIf(!isRoot())(`flannel-ts vxlan dual stack on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: Cluster;
  const facts: Facts[] = [];

  beforeAll(async () => {
    cluster = await startCluster({
      hosts: 3,
      lab: { ipv6: true },
      config: { EnableIPv6: true, Network: '10.8.0.0/16', IPv6Network: 'fd10:8::/56', Backend: { Type: 'vxlan' } },
    });
    for (const node of cluster.nodes) {
      const env = await readEnv(node.subnetFile);
      const podCidr = env.get('FLANNEL_SUBNET')!;
      const pod6Cidr = env.get('FLANNEL_IPV6_SUBNET')!;
      facts.push({
        subnet: podCidr.replace(/\.1\//, '.0/'),
        subnet6: pod6Cidr.replace(/::1\//, '::/'),
        pod: podCidr.split('/')[0]!,
        pod6: pod6Cidr.split('/')[0]!,
        mac: (await linkDetails(node.host, 'flannel.1'))!.address,
        mac6: (await linkDetails(node.host, 'flannel-v6.1'))!.address,
        underlay: node.host.address,
        underlay6: node.host.address6!,
      });
      await addPodBridge(node.host, [podCidr, pod6Cidr]);
    }
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('writes both families to subnet.env and dual-stack lease keys and JSON to etcd', async () => {
    const leases = await etcdLeases(cluster.lab);
    expect(leases.size).toBe(3);
    for (const [index, node] of cluster.nodes.entries()) {
      const f = facts[index]!;
      expect(await readFile(node.subnetFile, 'utf8')).toBe(
        `FLANNEL_NETWORK=10.8.0.0/16\nFLANNEL_SUBNET=${f.pod}/24\nFLANNEL_IPV6_NETWORK=fd10:8::/56\nFLANNEL_IPV6_SUBNET=${f.pod6}/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n`,
      );
      expect(leases.get(`${PREFIX}/subnets/${f.subnet.replace('/', '-')}&${f.subnet6.replace('/', '-')}`)).toBe(
        `{"PublicIP":"${f.underlay}","PublicIPv6":"${f.underlay6}","BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"${f.mac}"},"BackendV6Data":{"VNI":1,"VtepMAC":"${f.mac6}"}}`,
      );
      const v6 = await linkDetails(node.host, 'flannel-v6.1');
      // flannel asks for MTU − 50 on both devices; the kernel caps a vxlan over IPv6 at MTU − 70.
      expect(v6?.mtu).toBe(1430);
      expect(v6?.linkinfo?.info_data).toMatchObject({ id: 1, local6: f.underlay6, link: 'eth0', port: 8472, learning: false });
    }
  });

  it('programs one route, neighbour and FDB entry per remote host and family', async () => {
    for (const [index, node] of cluster.nodes.entries()) {
      const others = facts.filter((_, at) => at !== index);
      const want = {
        routes: others.map((o) => `${o.subnet} via ${o.subnet.split('/')[0]} dev flannel.1 onlink`).sort(),
        neighbours: others.map((o) => `${o.subnet.split('/')[0]} lladdr ${o.mac} PERMANENT`).sort(),
        fdb: others.map((o) => `${o.mac} dst ${o.underlay} self permanent`).sort(),
        routes6: others.map((o) => `${o.subnet6} via ${o.subnet6.split('/')[0]} dev flannel-v6.1 onlink`).sort(),
        neighbours6: others.map((o) => `${o.subnet6.split('/')[0]} lladdr ${o.mac6} PERMANENT`).sort(),
        fdb6: others.map((o) => `${o.mac6} dst ${o.underlay6} self permanent`).sort(),
      };
      const read = async () => ({
        routes: await routeLines(node.host, 4, 'flannel.1'),
        neighbours: await neighbourLines(node.host, 4, 'flannel.1'),
        fdb: await fdbLines(node.host, 'flannel.1'),
        routes6: (await routeLines(node.host, 6, 'flannel-v6.1')).filter((line) => line.includes(' via ')),
        neighbours6: (await neighbourLines(node.host, 6, 'flannel-v6.1')).filter((line) => !line.startsWith('fe80')),
        fdb6: await fdbLines(node.host, 'flannel-v6.1'),
      });
      expect(await converge(read, want)).toEqual(want);
    }
  });

  it('carries pod traffic over IPv4 and IPv6 between every pair of hosts', async () => {
    for (const [from, node] of cluster.nodes.entries()) {
      for (const [to] of cluster.nodes.entries()) {
        if (from === to) continue;
        expect(await pingFrom(node.host, facts[from]!.pod, facts[to]!.pod), `v4 h${from + 1} → h${to + 1}`).toBe(true);
        expect(await pingFrom(node.host, facts[from]!.pod6, facts[to]!.pod6), `v6 h${from + 1} → h${to + 1}`).toBe(true);
      }
    }
  });
});
