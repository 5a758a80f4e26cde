import { silentLogger } from '@flannel-ts/core';
import type { Network } from '@flannel-ts/core';
import { createMemorySubnetManager, passWaiters } from '@flannel-ts/core/testing';
import type { MemorySubnetManager } from '@flannel-ts/core/testing';
import { createNetlink } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';
import { addPodBridge, createHostPair, isRoot, RootTestResources, rootSkipReason } from '@flannel-ts/testlab';
import type { HostPair, PairHost } from '@flannel-ts/testlab';
import { afterEach, describe, expect, it } from 'vitest';
import { createVxlanBackend } from './vxlan-backend.js';
import type { VxlanReconcileReport } from './vxlan-network.js';

interface Node {
  readonly host: PairHost;
  readonly network: Network;
  readonly reports: VxlanReconcileReport[];
  /** Resolves at the next reconcile report for which `check` holds. */
  until(check: (report: VxlanReconcileReport) => boolean): Promise<void>;
}

type IpLink = { ifname: string; mtu: number; address: string; linkinfo: { info_kind: string; info_data: Record<string, unknown> } };
type IpAddr = { addr_info: { family: string; local: string; prefixlen: number }[] };
type IpNeigh = { dst: string; lladdr?: string; state: string[] };
type BridgeFdb = { mac: string; dst?: string; flags: string[]; state: string };
type IpRoute = { dst: string; gateway?: string; dev: string; flags: string[] };

describe.skipIf(!isRoot())(`vxlan backend on the kernel ${rootSkipReason() ?? ''}`.trimEnd(), () => {
  let hosts: HostPair | undefined;
  const resources = new RootTestResources();
  afterEach(async () => {
    await resources.cleanUp();
    hosts?.remove();
    hosts = undefined;
  });

  async function startNode(host: PairHost, manager: MemorySubnetManager, backendOptions: Record<string, unknown> = {}): Promise<Node> {
    const netlink: Netlink = await createNetlink({ netns: { name: host.name } });
    resources.defer(() => netlink.close());
    const reports: VxlanReconcileReport[] = [];
    const passes = passWaiters<VxlanReconcileReport>();
    const factory = createVxlanBackend({
      netlink,
      writeSysctl: host.writeSysctl,
      checkIntervalMs: 100,
      onReconcile: (report) => {
        reports.push(report);
        passes.notify(report);
      },
    });
    const eth0 = await netlink.getLink('eth0');
    const backend = await factory({
      subnetManager: manager,
      externalInterface: { name: 'eth0', index: eth0.index, mtu: eth0.mtu, address: host.address, address6: host.address6 },
      logger: silentLogger,
    });
    const config = { ...(await manager.getNetworkConfig()) };
    const network = await backend.registerNetwork({ config: { ...config, backend: { ...config.backend, ...backendOptions } } });
    resources.runInBackground((signal) => network.run(signal));
    // A pod bridge holding the first address of the subnet, as the CNI bridge plugin would.
    const podAddresses = [`${network.lease.subnet!.firstHost()}/24`];
    if (network.lease.ipv6Subnet) podAddresses.push(`${network.lease.ipv6Subnet.firstHost()}/64`);
    await addPodBridge(host, podAddresses);
    const until = (check: (report: VxlanReconcileReport) => boolean): Promise<void> => passes.next(check);
    return { host, network, reports, until };
  }

  const ping = (from: Node, to: Node): void => {
    from.host.exec('ping', '-c', '1', '-W', '5', '-I', from.network.lease.subnet!.firstHost(), to.network.lease.subnet!.firstHost());
  };

  it('programs flannel.1, the neighbour, FDB entry and onlink route of the other host, and pods reach each other', async () => {
    hosts = createHostPair({ tag: 'vx' });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}' });
    const a = await startNode(hosts.a, manager);
    const aReady = a.until((report) => report.peers === 1);
    const b = await startNode(hosts.b, manager);
    await Promise.all([aReady, b.until((report) => report.peers === 1)]);

    const [link] = hosts.a.ipJson<IpLink[]>('-d', 'link', 'show', 'flannel.1');
    expect(link).toMatchObject({ mtu: 1450, linkinfo: { info_kind: 'vxlan', info_data: { id: 1, local: '192.168.77.1', link: 'eth0', port: 8472, learning: false } } });
    const aMac = link!.address;
    expect(JSON.parse(a.network.lease.attributes.backendData!)).toEqual({ VNI: 1, VtepMAC: aMac });
    const bMac = (JSON.parse(b.network.lease.attributes.backendData!) as { VtepMAC: string }).VtepMAC;
    const aSubnet = a.network.lease.subnet!;
    const bSubnet = b.network.lease.subnet!;

    expect(hosts.a.ipJson<IpAddr[]>('addr', 'show', 'dev', 'flannel.1')[0]!.addr_info.filter((x) => x.family === 'inet')).toEqual([
      expect.objectContaining({ local: aSubnet.address, prefixlen: 32 }),
    ]);
    expect(hosts.a.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([
      expect.objectContaining({ dst: bSubnet.address, lladdr: bMac, state: ['PERMANENT'] }),
    ]);
    expect(hosts.a.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel.1').filter((entry) => entry.dst !== undefined)).toEqual([
      expect.objectContaining({ mac: bMac, dst: '192.168.77.2', flags: ['self'], state: 'permanent' }),
    ]);
    expect(hosts.a.ipJson<IpRoute[]>('route', 'show', 'dev', 'flannel.1')).toEqual([
      expect.objectContaining({ dst: bSubnet.toString(), gateway: bSubnet.address, flags: ['onlink'] }),
    ]);
    ping(a, b);
    ping(b, a);

    // What the kernel reports back compares equal to what was written: a periodic pass changes nothing.
    await a.until(() => true);
    expect(a.reports.at(-1)).toEqual({ recreated: [], operations: 0, failed: 0, peers: 1, mode: 'full' });

    // Someone deletes flannel.1: the link event brings it back with its address and entries.
    const before = hosts.a.exec('ip', 'route', 'show', 'dev', 'flannel.1');
    const recreated = a.until((report) => report.recreated.includes('flannel.1') && report.peers === 1);
    hosts.a.exec('ip', 'link', 'del', 'flannel.1');
    await recreated;
    expect(hosts.a.exec('ip', 'route', 'show', 'dev', 'flannel.1')).toBe(before);
    expect(hosts.a.ipJson<IpLink[]>('link', 'show', 'flannel.1')[0]!.address).toBe(aMac);
    ping(a, b);

    // B's lease goes away: A removes every entry for it.
    const removed = a.until((report) => report.peers === 0);
    manager.deleteLease({ subnet: bSubnet });
    await removed;
    expect(hosts.a.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([]);
    expect(hosts.a.ipJson<IpRoute[]>('route', 'show', 'dev', 'flannel.1')).toEqual([]);
    expect(hosts.a.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel.1').filter((entry) => entry.dst !== undefined)).toEqual([]);
  });

  it('with DirectRouting routes via the other host over eth0 without encapsulation', async () => {
    hosts = createHostPair({ tag: 'dr' });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.6.0.0/16","Backend":{"Type":"vxlan","DirectRouting":true}}' });
    const a = await startNode(hosts.a, manager);
    const aReady = a.until((report) => report.peers === 1);
    const b = await startNode(hosts.b, manager);
    await Promise.all([aReady, b.until((report) => report.peers === 1)]);
    const bSubnet = b.network.lease.subnet!;
    expect(hosts.a.ipJson<IpRoute[]>('route', 'show', bSubnet.toString())).toEqual([
      expect.objectContaining({ dst: bSubnet.toString(), gateway: '192.168.77.2', dev: 'eth0' }),
    ]);
    expect(hosts.a.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([]);
    ping(a, b);
    await a.until(() => true);
    expect(a.reports.at(-1)).toEqual({ recreated: [], operations: 0, failed: 0, peers: 1, mode: 'full' });
  });

  // Issue 9 item 4: an operator's routes on the underlay interface inside Network, via the underlay
  // gateway (proto boot as `ip route add` writes it, and proto static), are never ours to delete.
  for (const directRouting of [false, true]) {
    it(`keeps an operator's routes via the underlay gateway on eth0 inside Network through reconcile passes (DirectRouting ${directRouting ? 'on' : 'off'})`, async () => {
      hosts = createHostPair({ tag: directRouting ? 'od' : 'ot' });
      const manager = createMemorySubnetManager({ config: `{"Network":"10.9.0.0/16","Backend":{"Type":"vxlan","DirectRouting":${directRouting}}}` });
      const operatorRoutes = [
        ['10.9.150.0/24', 'via', '192.168.77.254', 'dev', 'eth0'],
        ['10.9.151.0/24', 'via', '192.168.77.254', 'dev', 'eth0', 'proto', 'static'],
      ];
      for (const route of operatorRoutes) hosts.a.exec('ip', 'route', 'add', ...route);
      const show = (): string => hosts!.a.exec('ip', 'route', 'show', 'dev', 'eth0', 'root', '10.9.0.0/16');
      const a = await startNode(hosts.a, manager);
      const aReady = a.until((report) => report.peers === 1);
      const b = await startNode(hosts.b, manager);
      await aReady;
      // Three more full passes (the check runs every 100 ms here), then B's lease goes away.
      let passes = 0;
      await a.until((report) => report.mode === 'full' && ++passes === 3);
      const removed = a.until((report) => report.peers === 0);
      manager.deleteLease({ subnet: b.network.lease.subnet! });
      await removed;
      passes = 0;
      await a.until((report) => report.mode === 'full' && ++passes === 2);
      expect(show()).toBe('10.9.150.0/24 via 192.168.77.254 \n10.9.151.0/24 via 192.168.77.254 proto static \n');
    });
  }

  it('marks the routes it programs with proto 70', async () => {
    hosts = createHostPair({ tag: 'pm' });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.10.0.0/16","Backend":{"Type":"vxlan","DirectRouting":true}}' });
    const a = await startNode(hosts.a, manager);
    const aReady = a.until((report) => report.peers === 1);
    const b = await startNode(hosts.b, manager);
    await aReady;
    const bSubnet = b.network.lease.subnet!.toString();
    expect(hosts.a.exec('ip', 'route', 'show', bSubnet)).toBe(`${bSubnet} via 192.168.77.2 dev eth0 proto 70 \n`);
    // A route of ours without the mark (written by flanneld or an older flannel-ts) is re-marked at the next full pass.
    hosts.a.exec('ip', 'route', 'replace', bSubnet, 'via', '192.168.77.2', 'dev', 'eth0');
    const remarked = a.until((report) => report.mode === 'full' && report.operations === 1);
    await remarked;
    expect(hosts.a.exec('ip', 'route', 'show', bSubnet)).toBe(`${bSubnet} via 192.168.77.2 dev eth0 proto 70 \n`);
  });

  it('programs flannel-v6.1 from BackendV6Data for dual stack, and IPv6 pods reach each other', async () => {
    hosts = createHostPair({ tag: 'v6' });
    const manager = createMemorySubnetManager({
      config: '{"Network":"10.8.0.0/16","EnableIPv6":true,"IPv6Network":"fd08::/56","Backend":{"Type":"vxlan"}}',
    });
    const a = await startNode(hosts.a, manager);
    const aReady = a.until((report) => report.peers === 2);
    const b = await startNode(hosts.b, manager);
    await Promise.all([aReady, b.until((report) => report.peers === 2)]);
    const bSubnet6 = b.network.lease.ipv6Subnet!;
    const bMac6 = (JSON.parse(b.network.lease.attributes.backendV6Data!) as { VtepMAC: string }).VtepMAC;
    expect(hosts.a.ipJson<IpLink[]>('-d', 'link', 'show', 'flannel-v6.1')[0]).toMatchObject({
      mtu: 1430,
      linkinfo: { info_kind: 'vxlan', info_data: { id: 1, local6: 'fd77::1', link: 'eth0', learning: false } },
    });
    expect(hosts.a.exec('cat', '/proc/sys/net/ipv6/conf/flannel-v6.1/accept_ra').trim()).toBe('0');
    expect(hosts.a.ipJson<IpNeigh[]>('-6', 'neigh', 'show', 'dev', 'flannel-v6.1', 'nud', 'permanent')).toEqual([
      expect.objectContaining({ dst: bSubnet6.address, lladdr: bMac6 }),
    ]);
    expect(hosts.a.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel-v6.1').filter((entry) => entry.dst !== undefined)).toEqual([
      expect.objectContaining({ mac: bMac6, dst: 'fd77::2', flags: ['self'], state: 'permanent' }),
    ]);
    expect(hosts.a.ipJson<IpRoute[]>('-6', 'route', 'show', bSubnet6.toString())).toEqual([
      expect.objectContaining({ dst: bSubnet6.toString(), gateway: bSubnet6.address, dev: 'flannel-v6.1', flags: ['onlink'] }),
    ]);
    hosts.a.exec('ping', '-6', '-c', '1', '-W', '5', '-I', a.network.lease.ipv6Subnet!.firstHost(), bSubnet6.firstHost());
    ping(a, b);
    await a.until(() => true);
    expect(a.reports.at(-1)).toEqual({ recreated: [], operations: 0, failed: 0, peers: 2, mode: 'full' });
  });
});
