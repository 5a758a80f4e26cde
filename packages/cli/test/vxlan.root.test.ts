// flannel-ts vxlan on three lab hosts with real etcd: subnet.env, etcd keys and JSON, exactly the kernel
// entries flannel programs (`pkg/backend/vxlan/vxlan_network.go`), pod-to-pod traffic, device recreation, a kill -9 restart under
// traffic, and a host leaving.
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, ClusterNode } from './cluster.js';
import {
  addPodBridge, converge, etcdLeases, fdbLines, linkDetails, neighbourLines, PREFIX, readEnv, routeLines, startCluster, subnetKey, waitReady,
} from './cluster.js';

interface NodeFacts {
  node: ClusterNode;
  subnet: string;
  podAddress: string;
  vtepMac: string;
}

describe.skipIf(!isRoot())(`flannel-ts vxlan on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: Cluster;
  let facts: NodeFacts[] = [];

  /** What flannel programs on `self` for every other node (`pkg/backend/vxlan/vxlan_network.go`). */
  const expected = (self: NodeFacts, others = facts.filter((each) => each !== self)) => ({
    routes: others.map((other) => `${other.subnet} via ${other.subnet.split('/')[0]} dev flannel.1 onlink`).sort(),
    neighbours: others.map((other) => `${other.subnet.split('/')[0]} lladdr ${other.vtepMac} PERMANENT`).sort(),
    fdb: others.map((other) => `${other.vtepMac} dst ${other.node.host.address} self permanent`).sort(),
  });
  const actual = async (self: NodeFacts) => ({
    routes: await routeLines(self.node.host, 4, 'flannel.1'),
    neighbours: await neighbourLines(self.node.host, 4, 'flannel.1'),
    fdb: await fdbLines(self.node.host, 'flannel.1'),
  });
  const pingsBetween = async (from: NodeFacts, to: NodeFacts): Promise<boolean> => {
    const result = await from.node.host.exec('ping', ['-n', '-q', '-c', '2', '-i', '0.2', '-w', '5', '-I', from.podAddress, to.podAddress]);
    return result.code === 0;
  };

  beforeAll(async () => {
    cluster = await startCluster({ hosts: 3, config: { Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } } });
    facts = [];
    for (const node of cluster.nodes) {
      const env = await readEnv(node.subnetFile);
      const podCidr = env.get('FLANNEL_SUBNET')!;
      const [podAddress, length] = podCidr.split('/') as [string, string];
      const subnet = `${podAddress.replace(/\.1$/, '.0')}/${length}`;
      const link = await linkDetails(node.host, 'flannel.1');
      facts.push({ node, subnet, podAddress, vtepMac: link!.address });
      await addPodBridge(node.host, [podCidr]);
    }
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('writes subnet.env in flannel format with a distinct subnet per host', async () => {
    for (const { node } of facts) {
      const text = await import('node:fs/promises').then((fs) => fs.readFile(node.subnetFile, 'utf8'));
      expect(text).toMatch(/^FLANNEL_NETWORK=10\.5\.0\.0\/16\nFLANNEL_SUBNET=10\.5\.\d{1,3}\.1\/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n$/);
    }
    expect(new Set(facts.map((each) => each.subnet)).size).toBe(3);
  });

  it('keeps flannel-format keys and lease JSON in etcd', async () => {
    const leases = await etcdLeases(cluster.lab);
    expect([...leases.keys()].sort()).toEqual(facts.map((each) => `${PREFIX}/subnets/${subnetKey(each.subnet)}`).sort());
    for (const each of facts) {
      expect(leases.get(`${PREFIX}/subnets/${subnetKey(each.subnet)}`)).toBe(
        `{"PublicIP":"${each.node.host.address}","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"${each.vtepMac}"}}`,
      );
    }
  });

  it('creates flannel.1 as flannel does: vxlan id 1, local address, eth0, port 8472, no learning, MTU − 50', async () => {
    for (const each of facts) {
      const link = await linkDetails(each.node.host, 'flannel.1');
      const eth0 = await linkDetails(each.node.host, 'eth0');
      expect(link?.mtu).toBe(1450);
      expect(link?.flags).toContain('UP');
      expect(link?.linkinfo?.info_kind).toBe('vxlan');
      expect(link?.linkinfo?.info_data).toMatchObject({ id: 1, local: each.node.host.address, link: 'eth0', port: 8472, learning: false });
      expect(eth0?.mtu).toBe(1500);
      const addresses = await each.node.host.exec('ip', ['-4', '-o', 'addr', 'show', 'dev', 'flannel.1'], { check: true });
      expect(addresses.stdout).toContain(`inet ${each.subnet.split('/')[0]}/32 `);
    }
  });

  it('programs exactly one route, one neighbour and one FDB entry per remote host', async () => {
    for (const self of facts) {
      expect(await converge(() => actual(self), expected(self))).toEqual(expected(self));
    }
  });

  it('carries pod traffic between every pair of hosts', async () => {
    for (const from of facts) {
      for (const to of facts) {
        if (from !== to) expect(await pingsBetween(from, to), `${from.node.host.name} → ${to.node.host.name}`).toBe(true);
      }
    }
  });

  it('recreates flannel.1 and its entries when it is deleted by hand', async () => {
    const [, second] = facts as [NodeFacts, NodeFacts, NodeFacts];
    await second.node.host.exec('ip', ['link', 'del', 'flannel.1'], { check: true });
    await converge(async () => (await linkDetails(second.node.host, 'flannel.1'))?.flags.includes('UP') ?? false, true);
    // The MAC may be new: the lease is then re-published and every host converges on it.
    second.vtepMac = (await linkDetails(second.node.host, 'flannel.1'))!.address;
    for (const self of facts) expect(await converge(() => actual(self), expected(self))).toEqual(expected(self));
    for (const other of facts) {
      if (other !== second) {
        expect(await pingsBetween(second, other)).toBe(true);
        expect(await pingsBetween(other, second)).toBe(true);
      }
    }
  });

  it('survives kill -9 and a restart under traffic: same subnet, no lost packet, no stale or duplicate entry', async () => {
    const [first, second] = facts as [NodeFacts, NodeFacts, NodeFacts];
    const before = await readEnv(second.node.subnetFile);
    // Loss is judged by the echoes answered, not by how fast (a loaded CI machine may delay a reply past
    // the next send, which ping -O would report as "no answer yet" although nothing was lost).
    const pinger = first.node.host.spawn('ping', ['-n', '-i', '0.05', '-I', first.podAddress, second.podAddress]);
    await pinger.waitForOutput(/icmp_seq=3 /);
    second.node.process.kill('SIGKILL');
    await second.node.process.exited;
    await waitReady(cluster.start(second.node));
    // Let traffic flow a little past the restart, then stop ping.
    const lastSeq = (): number => Math.max(0, ...[...pinger.stdout.matchAll(/icmp_seq=(\d+) ttl=/g)].map((match) => Number(match[1])));
    const restartedAt = lastSeq();
    await pinger.waitForOutput(new RegExp(`icmp_seq=${restartedAt + 10} ttl=`));
    pinger.kill('SIGINT');
    await pinger.exited;
    // Every echo up to the last answered one was answered (the one in flight at SIGINT is not counted).
    const answered = new Set([...pinger.stdout.matchAll(/icmp_seq=(\d+) ttl=/g)].map((match) => Number(match[1])));
    const last = lastSeq();
    expect(last).toBeGreaterThan(restartedAt);
    expect([...answered].length, pinger.stdout.slice(-800)).toBe(last);

    const after = await readEnv(second.node.subnetFile);
    expect(after.get('FLANNEL_SUBNET')).toBe(before.get('FLANNEL_SUBNET'));
    expect((await linkDetails(second.node.host, 'flannel.1'))!.address).toBe(second.vtepMac);
    for (const self of facts) expect(await converge(() => actual(self), expected(self))).toEqual(expected(self));
    expect((await etcdLeases(cluster.lab)).size).toBe(3);
  });

  it('removes a host that leaves from every other host, and that host stops with a clear message', async () => {
    const [, , third] = facts as [NodeFacts, NodeFacts, NodeFacts];
    const stayed = facts.filter((each) => each !== third);
    await cluster.lab.etcd.etcdctl(['del', `${PREFIX}/subnets/${subnetKey(third.subnet)}`], { check: true });
    for (const self of stayed) {
      const want = expected(self, stayed.filter((each) => each !== self));
      expect(await converge(() => actual(self), want)).toEqual(want);
    }
    const exit = await third.node.process.waitForExit(20_000);
    expect(exit.code).toBe(1);
    expect(third.node.process.stderr).toMatch(/lease was revoked/);
  });

  it('exits 0 on SIGTERM and leaves the data path in place for a zero-downtime restart', async () => {
    const [first, second] = facts as [NodeFacts, NodeFacts, NodeFacts];
    const before = await actual(first);
    first.node.process.kill('SIGTERM');
    const exit = await first.node.process.waitForExit(20_000);
    expect(exit.code).toBe(0);
    expect(first.node.process.stderr).toMatch(/Exiting cleanly/);
    expect(await actual(first)).toEqual(before);
    expect(await pingsBetween(first, second)).toBe(true);
    expect((await etcdLeases(cluster.lab)).has(`${PREFIX}/subnets/${subnetKey(first.subnet)}`)).toBe(true);
  });
});
