// Kubernetes mode through the vxlan backend over a RecordingNetlink (no root): a Node annotated the way
// flanneld annotates it is programmed exactly; the own VTEP MAC is published and reused after a restart; a
// deleted Node's entries go.
import { silentLogger } from '@flannel-ts/core';
import { passWaiters } from '@flannel-ts/core/testing';
import { createVxlanBackend } from '@flannel-ts/backend-vxlan';
import { createRecordingNetlink, type RecordingNetlink } from '@flannel-ts/netlink/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeAnnotations } from './kube-annotations.js';
import { startKubeHarness, type KubeHarness } from './test-support/kube-harness.js';

const names = kubeAnnotations();
const EXTERNAL = { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1' };
const FLANNELD_NODE = {
  [names.subnetKubeManaged]: 'true',
  [names.backendType]: 'vxlan',
  [names.backendData]: '{"VNI":1,"VtepMAC":"46:3d:e5:9e:0b:5d"}',
  [names.publicIP]: '192.168.1.2',
};

let harness: KubeHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function startNode(h: KubeHarness, netlink: RecordingNetlink, fill: number) {
  const passes = passWaiters();
  const manager = h.manager();
  const backend = await createVxlanBackend({
    netlink,
    random: (size) => new Uint8Array(size).fill(fill),
    writeSysctl: async () => undefined,
    ticks: async function* (signal) {
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      yield* [];
    },
    onReconcile: () => passes.notify(),
  })({ subnetManager: manager, externalInterface: EXTERNAL, logger: silentLogger });
  const config = await manager.getNetworkConfig();
  const network = await backend.registerNetwork({ config });
  const controller = new AbortController();
  const running = network.run(controller.signal);
  return {
    network,
    passes,
    async stop() {
      controller.abort();
      await running;
    },
  };
}

function linkMac(netlink: RecordingNetlink): string | undefined {
  const line = netlink.toCommands().find((command) => command.startsWith('ip link add flannel.1'));
  return / address ([0-9a-f:]{17})/.exec(line ?? '')?.[1];
}

describe('kube mode with the vxlan backend', () => {
  it('programs a flanneld-annotated Node exactly, publishes the VTEP MAC, keeps it across a restart, and removes a deleted Node', async () => {
    const h = (harness = await startKubeHarness(['10.5.1.0/24']));
    h.setConfig('{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}');
    h.server.createNode({ name: 'flanneld-node', podCIDR: '10.5.2.0/24', annotations: FLANNELD_NODE });
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const first = await startNode(h, netlink, 0x12);
    await first.passes.next();
    const commands = netlink.toCommands();
    expect(commands).toEqual([
      'ip link add flannel.1 address 12:12:12:12:12:12 mtu 1450 type vxlan id 1 local 192.168.1.1 dev eth0 dstport 8472 nolearning',
      'ip link set flannel.1 up',
      'ip addr add 10.5.1.0/32 dev flannel.1',
      'ip route add 10.5.2.0/24 via 10.5.2.0 dev flannel.1 onlink proto 70',
      'ip neigh replace 10.5.2.0 dev flannel.1 lladdr 46:3d:e5:9e:0b:5d nud permanent',
      'bridge fdb append 46:3d:e5:9e:0b:5d dev flannel.1 self dst 192.168.1.2 permanent',
    ]);
    const mac = linkMac(netlink);
    expect(mac).toMatch(/^[0-9a-f:]{17}$/);
    const own = (h.server.getNode('self')?.['metadata'] as { annotations: Record<string, string> }).annotations;
    expect(own[names.backendData]).toBe(`{"VNI":1,"VtepMAC":"${mac}"}`);
    expect(own[names.publicIP]).toBe('192.168.1.1');
    expect(first.network.lease.subnet?.toString()).toBe('10.5.1.0/24');
    await first.stop();

    // Restart on a node whose flannel.1 is gone: the stored MAC comes back, the annotations stay.
    const rebooted = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const second = await startNode(h, rebooted, 0x34);
    await second.passes.next();
    expect(linkMac(rebooted)).toBe(mac);
    const patches = h.server.requests.filter((r) => r.method === 'PATCH' && r.path === '/api/v1/nodes/self/status');
    expect(patches).toHaveLength(1);

    h.server.deleteNode('flanneld-node');
    await second.passes.next();
    expect(rebooted.toCommands().filter((command) => command.includes('10.5.2.0') || command.includes('46:3d:e5:9e:0b:5d'))).toEqual([]);
    await second.stop();
  });
});
