// End to end: three testlab hosts and real etcd, one extension backend per host (in this process, its
// commands aimed at the host with `ip -n`), whose commands build a host-gw-like data path by hand:
// PostStartupCommand makes a cni0 bridge on the lease's first address, SubnetAddCommand and
// SubnetRemoveCommand add and delete `<subnet> via <PUBLIC_IP> dev eth0`. Pods then ping each other.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@flannel-ts/core';
import type { Network } from '@flannel-ts/core';
import { createNetlink } from '@flannel-ts/netlink';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import type { EtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { createLab, execCommand, isRoot, rootSkipReason, waitFor } from '@flannel-ts/testlab';
import type { Lab, LabHost } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtensionBackend } from './extension-backend.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const PREFIX = '/coreos.com/network';

interface Node {
  readonly host: LabHost;
  readonly manager: EtcdSubnetManager;
  readonly network: Network;
  readonly controller: AbortController;
  readonly done: Promise<void>;
  readonly pod: string;
}

async function routes(host: LabHost): Promise<string[]> {
  const { stdout } = await host.exec('ip', ['-4', 'route', 'show'], { check: true });
  return stdout.split('\n').filter((line) => line.startsWith('10.7.'));
}

describe.skipIf(!isRoot())(`extension backend end to end ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  let recordDir: string;
  const nodes: Node[] = [];

  beforeAll(async () => {
    recordDir = mkdtempSync(join(tmpdir(), 'ft-ext-e2e-'));
    lab = await createLab({ hosts: 3, etcd: true });
    await lab.etcd.put(
      `${PREFIX}/config`,
      JSON.stringify({
        Network: '10.7.0.0/16',
        Backend: {
          Type: 'extension',
          PreStartupCommand: 'echo data-of-$NETNS <&>',
          PostStartupCommand: `${FIXTURES}post.sh $NETNS $SUBNET`,
          SubnetAddCommand: `${FIXTURES}route.sh replace \${NETNS} $SUBNET $PUBLIC_IP`,
          SubnetRemoveCommand: `${FIXTURES}route.sh del $NETNS $SUBNET $PUBLIC_IP`,
        },
      }),
    );
    for (const host of lab.hosts) {
      const netlink = await createNetlink({ netns: { name: host.netns } });
      const eth0 = await netlink.getLink('eth0');
      await netlink.close();
      const manager = createEtcdSubnetManager({ endpoints: lab.etcd.endpoints, logger: silentLogger });
      const backend = await createExtensionBackend({ environment: { ...process.env, NETNS: host.netns, RECORD_DIR: recordDir } })({
        subnetManager: manager,
        externalInterface: { name: 'eth0', index: eth0.index, mtu: eth0.mtu, address: host.address },
        logger: silentLogger,
      });
      const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
      const controller = new AbortController();
      const subnet = network.lease.subnet!.toString();
      nodes.push({ host, manager, network, controller, done: network.run(controller.signal), pod: subnet.replace(/\.0\/24$/, '.1') });
    }
  });

  afterAll(async () => {
    for (const node of nodes) {
      node.controller.abort();
      await node.done.catch(() => undefined);
      await node.manager.close();
    }
    await lab?.close();
    if (recordDir) rmSync(recordDir, { recursive: true, force: true });
  });

  it("publishes PreStartupCommand's output as a Go JSON string and gives it to peers on stdin", async () => {
    const [first, second] = nodes as [Node, Node];
    const lease = await lab.etcd.get(`${PREFIX}/subnets/${first.network.lease.subnet!.toString().replace('/', '-')}`);
    expect(JSON.parse(lease!)).toMatchObject({ BackendType: 'extension', PublicIP: first.host.address, BackendData: `data-of-${first.host.netns} <&>` });
    expect(lease).toContain(`"BackendData":"data-of-${first.host.netns} \\u003c\\u0026\\u003e"`);
    await waitFor(() => readFileSync(join(recordDir, `${second.host.netns}.log`), 'utf8').includes(`replace ${first.network.lease.subnet} data-of-${first.host.netns} <&>`), { timeoutMs: 15_000 });
  });

  it('builds a route to every other subnet via its host, and pods ping across every pair', async () => {
    for (const node of nodes) {
      const want = nodes.filter((other) => other !== node).map((other) => `${other.network.lease.subnet} via ${other.host.address} dev eth0`);
      await waitFor(async () => {
        const lines = await routes(node.host);
        return want.every((line) => lines.some((each) => each.startsWith(line)));
      }, { timeoutMs: 15_000 });
    }
    for (const from of nodes) {
      for (const to of nodes) {
        if (from === to) continue;
        const result = await from.host.exec('ping', ['-n', '-q', '-c', '1', '-w', '3', '-I', from.pod, to.pod]);
        expect(result.code, `${from.host.name} → ${to.host.name}: ${result.stdout}`).toBe(0);
      }
    }
  });

  it('runs SubnetRemoveCommand when a lease disappears', async () => {
    const gone = nodes[2]!;
    gone.controller.abort();
    await gone.done;
    const key = `${PREFIX}/subnets/${gone.network.lease.subnet!.toString().replace('/', '-')}`;
    await execCommand('ip', ['netns', 'exec', lab.underlay.netns, 'etcdctl', `--endpoints=${lab.etcd.hostEndpoints}`, 'del', key], { check: true });
    for (const node of nodes.slice(0, 2)) {
      await waitFor(async () => !(await routes(node.host)).some((line) => line.startsWith(gone.network.lease.subnet!.toString())), { timeoutMs: 15_000 });
      expect(readFileSync(join(recordDir, `${node.host.netns}.log`), 'utf8')).toContain(`del ${gone.network.lease.subnet} data-of-${gone.host.netns} <&>`);
    }
  });
});
