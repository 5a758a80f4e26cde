// flannel-ts --kube-subnet-mgr with the udp backend on three lab hosts against the API server stand-in: a
// net-conf without `Backend` (udp, as kube-flannel.yml users get with `"Type": "udp"` or no Backend).
// flanneld's udp backend acquires its lease with PublicIP only (`pkg/backend/udp/udp_amd64.go`), so its kube
// manager writes `backend-type: ""` and `backend-data: "null"` (`pkg/subnet/kube/kube.go` AcquireLease:
// json.RawMessage(nil) marshals to `null`). Checked: subnet.env from the podCIDR with MTU 1500 − 28, flannel0
// as in udp.root.test, exactly those annotations, pings across every pair, a restart that patches no
// annotation again, and a foreign Node annotated as a flanneld udp node gets a forwarder route: traffic to its
// podCIDR reaches its PublicIP on port 8285.
import { readFile } from 'node:fs/promises';
import { isRoot, rootSkipReason, waitFor } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPodBridge, failedPairs, json, linkDetails, readEnv, routeLines, UDP_LISTENER } from './cluster.js';
import { ANNOTATION_PREFIX as A, startKubeCluster } from './kube-cluster.js';
import type { KubeCluster } from './kube-cluster.js';

const NETWORK = '10.8.0.0/16';

describe.skipIf(!isRoot())(`flannel-ts --kube-subnet-mgr with udp on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: KubeCluster;

  beforeAll(async () => {
    cluster = await startKubeCluster({ hosts: 3, netConf: { Network: NETWORK }, podCidr: (index) => `10.8.${index + 1}.0/24` });
    for (const node of cluster.nodes) await addPodBridge(node.host, [`${node.pod}/24`]);
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
  }, 60_000);

  it('writes subnet.env from the podCIDR with MTU 1472, and the annotations flanneld writes for udp', async () => {
    for (const node of cluster.nodes) {
      expect(await readFile(node.subnetFile, 'utf8')).toBe(`FLANNEL_NETWORK=${NETWORK}\nFLANNEL_SUBNET=${node.pod}/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=false\n`);
      expect(await cluster.annotationsOf(node.host.name)).toEqual({
        [`${A}backend-data`]: 'null',
        [`${A}backend-type`]: '',
        [`${A}kube-subnet-manager`]: 'true',
        [`${A}public-ip`]: node.host.address,
      });
      const condition = await cluster.kubectl('get', 'node', node.host.name, '-o', 'jsonpath={.status.conditions[?(@.type=="NetworkUnavailable")].status}');
      expect(condition).toBe('False');
      // Its own Node read back (backend-type "", backend-data null) is its lease, not an overwrite.
      expect(node.process.stderr).not.toMatch(/was overwritten by someone else|ignoring lease/);
    }
  });

  it('creates flannel0 as flannel does: TUN, <podCIDR>.0/32, MTU 1472, up, one route for the Network', async () => {
    for (const node of cluster.nodes) {
      const link = await linkDetails(node.host, 'flannel0');
      expect(link?.linkinfo?.info_kind).toBe('tun');
      expect(link?.mtu).toBe(1472);
      expect(link?.flags).toContain('UP');
      const addresses = await json<{ addr_info: { local: string; prefixlen: number }[] }[]>(node.host, 'ip', ['-4', 'addr', 'show', 'dev', 'flannel0']);
      expect(addresses[0]?.addr_info.map((info) => `${info.local}/${info.prefixlen}`)).toEqual([`${node.subnet.split('/')[0]}/32`]);
      expect(await routeLines(node.host, 4, 'flannel0')).toEqual([`${NETWORK} dev flannel0`]);
    }
  });

  it('carries pod traffic between every pair of hosts', async () => {
    expect(await failedPairs(cluster.nodes, 15_000)).toEqual([]);
  });

  it('keeps its subnet across a restart, patching no annotation again (only the NetworkUnavailable condition)', async () => {
    const node = cluster.nodes[2]!;
    const statusPatches = () => cluster.api.server.requests.filter((request) => request.method === 'PATCH' && request.path === `/api/v1/nodes/${node.host.name}/status`).length;
    expect((await node.process.stop(5_000)).code).toBe(0);
    const before = statusPatches();
    cluster.start(node);
    await node.process.waitForOutput(/Set node condition NetworkUnavailable=False/, { timeoutMs: 60_000 });
    expect(statusPatches() - before).toBe(1);
    expect((await readEnv(node.subnetFile)).get('FLANNEL_SUBNET')).toBe(`${node.pod}/24`);
    expect(node.process.stderr).not.toMatch(/was overwritten by someone else|ignoring lease/);
    expect(await failedPairs(cluster.nodes, 15_000)).toEqual([]);
  }, 60_000);

  it('forwards traffic for a foreign Node annotated as a flanneld udp node to its PublicIP on port 8285', async () => {
    const [h1, , h3] = cluster.nodes;
    // The foreign node's PublicIP is a second address on h3, where a plain UDP socket listens on 8285.
    const publicIP = cluster.underlayAddress(98);
    await h3!.host.exec('ip', ['addr', 'add', `${publicIP}/24`, 'dev', 'eth0'], { check: true });
    const listener = h3!.host.spawn('node', ['-e', UDP_LISTENER(publicIP)]);
    try {
      await listener.waitForOutput(/listening/);
      cluster.api.server.createNode({
        name: 'flanneld-udp',
        podCIDR: '10.8.98.0/24',
        annotations: {
          'node.alpha.kubernetes.io/ttl': '0',
          [`${A}backend-data`]: 'null',
          [`${A}backend-type`]: '',
          [`${A}kube-subnet-manager`]: 'true',
          [`${A}public-ip`]: publicIP,
        },
      });
      const send = `const s = require('dgram').createSocket('udp4'); s.bind({ address: '${h1!.pod}', port: 40000 }, () => s.send(Buffer.from('flannel'), 9999, '10.8.98.7', () => s.close()));`;
      const match = await waitFor(async () => {
        await h1!.host.exec('node', ['-e', send], { check: true });
        return /datagram (\S+) (\d+) ([0-9a-f]+)/.exec(listener.stdout) ?? undefined;
      }, { timeoutMs: 15_000 });
      expect(match[1]).toBe(h1!.host.address);
      expect(match[2]).toBe('8285');
      const packet = Buffer.from(match[3]!, 'hex');
      expect([...packet.subarray(12, 16)].join('.')).toBe(h1!.pod);
      expect([...packet.subarray(16, 20)].join('.')).toBe('10.8.98.7');
      expect(packet.subarray(28).toString()).toBe('flannel');
      for (const node of cluster.nodes) expect(node.process.stderr).not.toMatch(/ignoring lease 10\.8\.98\.0\/24/);
    } finally {
      await listener.stop();
    }
  });
});
