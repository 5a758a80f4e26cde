// flannel-ts --kube-subnet-mgr on three lab hosts against the API server stand-in (reached through the
// underlay forwarder, `lab-kube-api.ts`): Nodes pre-created with podCIDRs as kube-controller-manager assigns
// them; subnet.env, the annotations flannel writes (`pkg/subnet/kube/kube.go` AcquireLease) read back with
// kubectl, the NetworkUnavailable condition, exactly the vxlan entries (`pkg/backend/vxlan/vxlan_network.go`)
// and pings across every pair; a foreign flanneld node; a node deleted; a restart keeping the VTEP MAC and
// subnet; public-ip-overwrite; a 60 s API server outage; a watch expired (410).
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { LabHost } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPodBridge, converge, failedPairs, fdbLines, linkDetails, neighbourLines, readEnv, routeLines, waitReady } from './cluster.js';
import { ANNOTATION_PREFIX as A, startKubeCluster } from './kube-cluster.js';
import type { KubeCluster, KubeClusterNode } from './kube-cluster.js';

interface KubeNode extends KubeClusterNode {
  vtepMac: string;
  publicIP: string;
}

/** A peer as flannel programs it on every other node: its podCIDR, VTEP MAC and public IP. */
interface Peer {
  subnet: string;
  vtepMac: string;
  publicIP: string;
}

/** What flannel programs for `peers` on a node (`pkg/backend/vxlan/vxlan_network.go`), as the readers print it. */
const expectedFor = (peers: readonly Peer[]) => ({
  routes: peers.map((peer) => `${peer.subnet} via ${peer.subnet.split('/')[0]} dev flannel.1 onlink`).sort(),
  neighbours: peers.map((peer) => `${peer.subnet.split('/')[0]} lladdr ${peer.vtepMac} PERMANENT`).sort(),
  fdb: peers.map((peer) => `${peer.vtepMac} dst ${peer.publicIP} self permanent`).sort(),
});
const actualOn = async (host: LabHost) => ({
  routes: await routeLines(host, 4, 'flannel.1'),
  neighbours: await neighbourLines(host, 4, 'flannel.1'),
  fdb: await fdbLines(host, 'flannel.1'),
});

describe.skipIf(!isRoot())(`flannel-ts --kube-subnet-mgr on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: KubeCluster;
  let nodes: KubeNode[] = [];
  let foreign: Peer[] = [];

  const peersOf = (self: KubeNode): Peer[] => [...nodes.filter((node) => node !== self), ...foreign];
  const everyNodeConverges = async (timeoutMs = 30_000): Promise<void> => {
    for (const node of nodes) {
      const expected = expectedFor(peersOf(node));
      expect(await converge(() => actualOn(node.host), expected, timeoutMs)).toEqual(expected);
    }
  };
  const everyPairPings = async (): Promise<void> => {
    expect(await failedPairs(nodes)).toEqual([]);
  };
  /** A Node as a flanneld peer leaves it: podCIDR and the four annotations AcquireLease writes. */
  const createForeignNode = (name: string, subnet: string, vtepMac: string, publicIP: string): Peer => {
    cluster.api.server.createNode({
      name,
      podCIDR: subnet,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        [`${A}backend-data`]: `{"VNI":1,"VtepMAC":"${vtepMac}"}`,
        [`${A}backend-type`]: 'vxlan',
        [`${A}kube-subnet-manager`]: 'true',
        [`${A}public-ip`]: publicIP,
      },
    });
    return { subnet, vtepMac, publicIP };
  };
  const underlayAddress = (last: number): string => cluster.underlayAddress(last);

  beforeAll(async () => {
    cluster = await startKubeCluster({ hosts: 3, netConf: { Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } }, podCidr: (index) => `10.5.${index + 1}.0/24` });
    nodes = cluster.nodes as KubeNode[];
    for (const node of nodes) {
      node.publicIP = node.host.address;
      node.vtepMac = (await linkDetails(node.host, 'flannel.1'))!.address;
      await addPodBridge(node.host, [`${node.pod}/24`]);
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.close();
  }, 60_000);

  it('writes subnet.env from the podCIDR, the annotations flannel writes, and NetworkUnavailable=False', async () => {
    for (const node of nodes) {
      const env = await readEnv(node.subnetFile);
      expect(Object.fromEntries(env)).toEqual({ FLANNEL_NETWORK: '10.5.0.0/16', FLANNEL_SUBNET: `${node.pod}/24`, FLANNEL_MTU: '1450', FLANNEL_IPMASQ: 'false' });
      expect(await cluster.annotationsOf(node.host.name)).toEqual({
        [`${A}backend-data`]: `{"VNI":1,"VtepMAC":"${node.vtepMac}"}`,
        [`${A}backend-type`]: 'vxlan',
        [`${A}kube-subnet-manager`]: 'true',
        [`${A}public-ip`]: node.host.address,
      });
      const condition = await cluster.kubectl('get', 'node', node.host.name, '-o', 'jsonpath={.status.conditions[?(@.type=="NetworkUnavailable")].status} {.status.conditions[?(@.type=="NetworkUnavailable")].reason}');
      expect(condition).toBe('False FlannelIsUp');
    }
  });

  it('programs exactly flannel vxlan entries for every peer and pings across every pair', async () => {
    await everyNodeConverges();
    await everyPairPings();
  });

  it('programs a foreign Node annotated as flanneld writes it exactly, and removes it when the Node is deleted', async () => {
    foreign = [createForeignNode('flanneld1', '10.5.9.0/24', '5a:7e:00:00:00:09', underlayAddress(99))];
    await everyNodeConverges();
    cluster.api.server.deleteNode('flanneld1');
    foreign = [];
    await everyNodeConverges();
  });

  it('keeps the VTEP MAC and subnet across a restart; public-ip-overwrite propagates to the peers', async () => {
    const node = nodes[2]!;
    const overwrite = underlayAddress(203);
    await node.host.exec('ip', ['addr', 'add', `${overwrite}/24`, 'dev', 'eth0'], { check: true });
    await cluster.kubectl('annotate', 'node', node.host.name, `${A}public-ip-overwrite=${overwrite}`);
    expect((await node.process.stop(5_000)).code).toBe(0);
    cluster.start(node);
    await waitReady(node.process);
    node.publicIP = overwrite;
    expect((await linkDetails(node.host, 'flannel.1'))!.address).toBe(node.vtepMac);
    expect((await readEnv(node.subnetFile)).get('FLANNEL_SUBNET')).toBe(`${node.pod}/24`);
    expect((await cluster.annotationsOf(node.host.name))[`${A}public-ip`]).toBe(overwrite);
    await everyNodeConverges();
    await everyPairPings();
    // Its lease carries the published (overwritten) address, so reading its Node back is no overwrite.
    expect(node.process.stderr).not.toMatch(/was overwritten by someone else/);
  }, 60_000);

  // The minute of outage. Within it the reflector's backoff (client-go's: 800 ms doubling, up to twice
  // that with jitter, 30 s cap before jitter) reaches its cap, so a daemon may reconnect up to ~51 s after the
  // server is back (the sum of the longest early delays, then one of at most 60 s); the budgets allow for that.
  // The minute is not idle: the data path is checked at its start, about every 20 s and at its end (every pair
  // pings, the kernel entries stay exactly as they were, no daemon exits), and a Node is deleted and another
  // created while the daemons cannot see it — both must reach every node after recovery (by re-watching from
  // the last version seen; the 410 re-list is the next test).
  it('keeps the data path through a 60 s API server outage and recovers: a Node deleted and one created during it are seen after it', async () => {
    const outageMs = 60_000;
    foreign = [createForeignNode('gone', '10.5.12.0/24', '5a:7e:00:00:00:12', underlayAddress(102))];
    await everyNodeConverges();
    const dataPathHolds = async (): Promise<void> => {
      await everyPairPings();
      for (const node of nodes) expect(await actualOn(node.host)).toEqual(expectedFor(peersOf(node)));
      expect(nodes.filter((node) => node.process.exit !== undefined).map((node) => node.host.name)).toEqual([]);
    };
    await cluster.api.stopForwarding();
    const began = Date.now();
    try {
      await dataPathHolds();
      cluster.api.server.deleteNode('gone');
      cluster.api.server.createNode({
        name: 'late',
        podCIDR: '10.5.10.0/24',
        annotations: {
          [`${A}backend-data`]: '{"VNI":1,"VtepMAC":"5a:7e:00:00:00:10"}',
          [`${A}backend-type`]: 'vxlan',
          [`${A}kube-subnet-manager`]: 'true',
          [`${A}public-ip`]: underlayAddress(100),
        },
      });
      // Until the API is back the daemons keep what they had: `gone` stays programmed, `late` is not.
      for (let left = outageMs - (Date.now() - began); left > 0; left = outageMs - (Date.now() - began)) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(left, 20_000)));
        await dataPathHolds();
      }
      expect(nodes.every((node) => /(watch|list) of nodes failed/.test(node.process.stderr))).toBe(true);
    } finally {
      await cluster.api.startForwarding();
    }
    foreign = [{ subnet: '10.5.10.0/24', vtepMac: '5a:7e:00:00:00:10', publicIP: underlayAddress(100) }];
    await everyNodeConverges(60_000);
    await everyPairPings();
    // Recovered by re-watching: the history since the last version seen replayed, no re-list.
    expect(nodes.filter((node) => /re-listing/.test(node.process.stderr)).map((node) => node.host.name)).toEqual([]);
  }, 200_000);

  it('re-lists after a watch expired (410): no missed and no duplicated node', async () => {
    await cluster.api.stopForwarding();
    try {
      cluster.api.server.deleteNode('late');
      foreign = [createForeignNode('n410', '10.5.11.0/24', '5a:7e:00:00:00:11', underlayAddress(101))];
      cluster.api.server.expireHistory();
    } finally {
      await cluster.api.startForwarding();
    }
    await everyNodeConverges();
    for (const node of nodes) await node.process.waitForOutput(/watch of nodes closed with: .*; re-listing/, { timeoutMs: 10_000 });
  }, 60_000);
});
