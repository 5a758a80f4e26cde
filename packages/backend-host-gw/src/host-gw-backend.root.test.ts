import { silentLogger } from '@flannel-ts/core';
import type { Network } from '@flannel-ts/core';
import { createMemorySubnetManager, manualTicks, passWaiters } from '@flannel-ts/core/testing';
import type { MemorySubnetManager } from '@flannel-ts/core/testing';
import { createNetlink } from '@flannel-ts/netlink';
import { addPodBridge, createHostPair, isRoot, RootTestResources, rootSkipReason } from '@flannel-ts/testlab';
import type { HostPair, PairHost } from '@flannel-ts/testlab';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostGwBackend } from './host-gw-backend.js';
import type { HostGwReconcileReport } from './host-gw-backend.js';

type IpRoute = { dst: string; gateway?: string; dev: string };

describe.skipIf(!isRoot())(`host-gw backend on the kernel ${rootSkipReason() ?? ''}`.trimEnd(), () => {
  let hosts: HostPair | undefined;
  const resources = new RootTestResources();
  afterEach(async () => {
    await resources.cleanUp();
    hosts?.remove();
    hosts = undefined;
  });

  async function startNode(host: PairHost, manager: MemorySubnetManager) {
    const netlink = await createNetlink({ netns: { name: host.name } });
    resources.defer(() => netlink.close());
    const passes = passWaiters<HostGwReconcileReport>();
    const ticks = manualTicks();
    const backend = await createHostGwBackend({
      netlink,
      onReconcile: (report) => passes.notify(report),
      ticks: (signal) => ticks.source(signal),
    })({
      subnetManager: manager,
      externalInterface: { name: 'eth0', index: (await netlink.getLink('eth0')).index, mtu: 1500, address: host.address },
      logger: silentLogger,
    });
    const network: Network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    resources.runInBackground((signal) => network.run(signal));
    await addPodBridge(host, [`${network.lease.subnet!.firstHost()}/24`]);
    const until = (check: (report: HostGwReconcileReport) => boolean): Promise<void> => passes.next(check);
    return { host, network, until, tick: () => ticks.tick() };
  }

  it('routes each subnet via the other host, pods reach each other, and a deleted route comes back at the check', async () => {
    hosts = createHostPair({ tag: 'hg' });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.7.0.0/16","Backend":{"Type":"host-gw"}}' });
    const a = await startNode(hosts.a, manager);
    const aReady = a.until((report) => report.routes === 1);
    const b = await startNode(hosts.b, manager);
    await Promise.all([aReady, b.until((report) => report.routes === 1)]);
    const bSubnet = b.network.lease.subnet!.toString();
    expect(hosts.a.ipJson<IpRoute[]>('route', 'show', bSubnet)).toEqual([expect.objectContaining({ dst: bSubnet, gateway: '192.168.77.2', dev: 'eth0' })]);
    hosts.a.exec('ping', '-c', '1', '-W', '5', '-I', a.network.lease.subnet!.firstHost(), b.network.lease.subnet!.firstHost());

    // What the kernel reports back compares equal to what was written: a check changes nothing.
    let steadyReport: HostGwReconcileReport | undefined;
    const capture = a.until((report) => ((steadyReport = report), true));
    a.tick();
    await capture;
    expect(steadyReport).toEqual({ operations: 0, failed: 0, routes: 1, mode: 'full' });

    hosts.a.exec('ip', 'route', 'del', bSubnet);
    const restored = a.until((report) => report.operations === 1 && report.failed === 0);
    a.tick();
    await restored;
    expect(hosts.a.ipJson<IpRoute[]>('route', 'show', bSubnet)).toEqual([expect.objectContaining({ dst: bSubnet, gateway: '192.168.77.2', dev: 'eth0' })]);
  });
  it("keeps an operator's routes via the underlay gateway on eth0 inside Network, and marks its own with proto 70", async () => {
    hosts = createHostPair({ tag: 'ho' });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.11.0.0/16","Backend":{"Type":"host-gw"}}' });
    hosts.a.exec('ip', 'route', 'add', '10.11.150.0/24', 'via', '192.168.77.254', 'dev', 'eth0');
    hosts.a.exec('ip', 'route', 'add', '10.11.151.0/24', 'via', '192.168.77.254', 'dev', 'eth0', 'proto', 'static');
    const a = await startNode(hosts.a, manager);
    const aReady = a.until((report) => report.routes === 1);
    const b = await startNode(hosts.b, manager);
    await aReady;
    const bSubnet = b.network.lease.subnet!.toString();
    expect(hosts.a.exec('ip', 'route', 'show', bSubnet)).toBe(`${bSubnet} via 192.168.77.2 dev eth0 proto 70 \n`);
    for (let i = 0; i < 2; i += 1) {
      const pass = a.until((report) => report.mode === 'full');
      a.tick();
      await pass;
    }
    const removed = a.until((report) => report.routes === 0);
    manager.deleteLease({ subnet: b.network.lease.subnet! });
    await removed;
    const pass = a.until((report) => report.mode === 'full');
    a.tick();
    await pass;
    expect(hosts.a.exec('ip', 'route', 'show', 'dev', 'eth0', 'root', '10.11.0.0/16')).toBe(
      '10.11.150.0/24 via 192.168.77.254 \n10.11.151.0/24 via 192.168.77.254 proto static \n',
    );
  });
});
