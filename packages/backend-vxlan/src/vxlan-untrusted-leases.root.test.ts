// Issue 9 items 1–3 (and the refused-entry part of 7) on the kernel: well-formed but hostile leases —
// overlapping subnets, the whole network, bad PublicIPs, a reused VtepMAC, a zero VtepMAC, an
// overwritten own lease — never reach the kernel, never make the reconcile oscillate, and are logged
// once each.
import { IpNet, silentLogger } from '@flannel-ts/core';
import type { Logger, Network } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import type { MemorySubnetManager } from '@flannel-ts/core/testing';
import { createNetlink } from '@flannel-ts/netlink';
import { createHostPair, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { HostPair, PairHost } from '@flannel-ts/testlab';
import { afterEach, describe, expect, it } from 'vitest';
import { createVxlanBackend } from './vxlan-backend.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import type { VxlanReconcileReport } from './vxlan-network.js';

type IpNeigh = { dst: string; lladdr?: string };
type BridgeFdb = { mac: string; dst?: string };
type IpRoute = { dst: string; gateway?: string };

interface Node {
  readonly network: Network;
  readonly reports: VxlanReconcileReport[];
  readonly warnings: string[];
  readonly errors: string[];
  /** Resolves once `count` more full passes have reported. */
  fullPasses(count: number): Promise<void>;
}

describe.skipIf(!isRoot())(`vxlan with untrusted leases on the kernel ${rootSkipReason() ?? ''}`.trimEnd(), () => {
  let hosts: HostPair | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    hosts?.remove();
    hosts = undefined;
  });

  async function startNode(host: PairHost, manager: MemorySubnetManager): Promise<Node> {
    const netlink = await createNetlink({ netns: { name: host.name } });
    cleanups.push(() => netlink.close());
    const reports: VxlanReconcileReport[] = [];
    const warnings: string[] = [];
    const errors: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (fields: unknown, message?: string) => void warnings.push(message ?? String(fields)),
      error: (fields: unknown, message?: string) => void errors.push(message ?? String(fields)),
      child: () => logger,
    } as Logger;
    let waiter: (() => void) | undefined;
    const factory = createVxlanBackend({
      netlink,
      writeSysctl: host.writeSysctl,
      checkIntervalMs: 100,
      onReconcile: (report) => {
        reports.push(report);
        waiter?.();
      },
    });
    const eth0 = await netlink.getLink('eth0');
    const backend = await factory({
      subnetManager: manager,
      externalInterface: { name: 'eth0', index: eth0.index, mtu: eth0.mtu, address: host.address },
      logger,
    });
    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    const controller = new AbortController();
    const done = network.run(controller.signal);
    cleanups.push(async () => {
      controller.abort();
      await done;
    });
    host.exec('ip', 'link', 'add', 'cni0', 'type', 'bridge');
    host.exec('ip', 'addr', 'add', `${network.lease.subnet!.firstHost()}/24`, 'dev', 'cni0');
    host.exec('ip', 'link', 'set', 'cni0', 'up');
    const fullPasses = async (count: number): Promise<void> => {
      let seen = reports.length;
      let left = count;
      for (;;) {
        while (seen < reports.length) if (reports[seen++]!.mode === 'full' && --left === 0) return;
        await new Promise<void>((resolve) => (waiter = resolve));
      }
    };
    return { network, reports, warnings, errors, fullPasses };
  }

  const put = (manager: MemorySubnetManager, subnet: string, publicIP: string, mac: string): void => {
    manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }) } });
  };

  it('programs only the real peer whatever the rogue leases, holds still across passes, and re-asserts an overwritten own lease', async () => {
    hosts = createHostPair({ tag: 'ut' });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}', random: () => 0 });
    const a = await startNode(hosts.a, manager);
    const b = await startNode(hosts.b, manager);
    await Promise.all([a.fullPasses(1), b.fullPasses(1)]);
    const aSubnet = a.network.lease.subnet!;
    const bSubnet = b.network.lease.subnet!;
    const bMac = (JSON.parse(b.network.lease.attributes.backendData!) as { VtepMAC: string }).VtepMAC;
    expect(IpNet.compare(aSubnet, IpNet.parse('10.5.200.0/24'))).toBeLessThan(0);
    expect(IpNet.compare(bSubnet, IpNet.parse('10.5.200.0/24'))).toBeLessThan(0);

    // The hijacks of issue 9: inside the peer's /24, over and inside the own /24, the whole network;
    // PublicIPs that reach everyone or ourselves; the peer's VtepMAC again (sorting after the peer); a zero MAC.
    const rogue: Array<[string, string, string]> = [
      [`${bSubnet.address}/25`, '192.168.77.9', '0e:00:00:00:09:01'],
      [`${aSubnet.address}/23`, '192.168.77.9', '0e:00:00:00:09:02'],
      [`${IpNet.parse(`${aSubnet.address}/24`).address.replace(/\.0$/, '.128')}/25`, '192.168.77.9', '0e:00:00:00:09:03'],
      ['10.5.0.0/16', '192.168.77.9', '0e:00:00:00:09:04'],
      ['10.5.201.0/24', '127.0.0.1', '0e:00:00:00:09:05'],
      ['10.5.202.0/24', '224.0.0.1', '0e:00:00:00:09:06'],
      ['10.5.203.0/24', '255.255.255.255', '0e:00:00:00:09:07'],
      ['10.5.204.0/24', '192.168.77.1', '0e:00:00:00:09:08'],
      ['10.5.205.0/24', '192.168.77.9', bMac],
      ['10.5.206.0/24', '192.168.77.9', '00:00:00:00:00:00'],
    ];
    for (const [subnet, publicIP, mac] of rogue) put(manager, subnet, publicIP, mac);
    await a.fullPasses(5);

    const only = (): void => {
      expect(hosts!.a.ipJson<IpNeigh[]>('neigh', 'show', 'dev', 'flannel.1')).toEqual([expect.objectContaining({ dst: bSubnet.address, lladdr: bMac })]);
      expect(hosts!.a.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel.1').filter((entry) => entry.dst !== undefined)).toEqual([
        expect.objectContaining({ mac: bMac, dst: '192.168.77.2' }),
      ]);
      expect(hosts!.a.ipJson<IpRoute[]>('route', 'show', 'dev', 'flannel.1')).toEqual([expect.objectContaining({ dst: bSubnet.toString(), gateway: bSubnet.address })]);
    };
    only();
    // Still: no pass writes anything, and pods keep reaching each other.
    const passesBefore = a.reports.length;
    for (let i = 0; i < 5; i += 1) {
      hosts.a.exec('ping', '-c', '1', '-W', '2', '-I', aSubnet.firstHost(), bSubnet.firstHost());
      await a.fullPasses(1);
    }
    expect(a.reports.slice(passesBefore).filter((report) => report.mode === 'full').every((report) => report.operations === 0 && report.failed === 0)).toBe(true);
    only();
    // Each rogue lease is logged once (10 reasons), nothing was refused by the kernel.
    const ignored = a.warnings.filter((message) => message.startsWith('ignoring lease'));
    expect(ignored).toHaveLength(rogue.length);
    expect(ignored.find((message) => message.includes('10.5.205.0/24'))).toBe(
      `ignoring lease 10.5.205.0/24: VtepMAC ${bMac} is also claimed by lease ${bSubnet.toString()}, which is older (or sorts first) and is kept`,
    );
    expect(a.warnings.filter((message) => message.startsWith('could not'))).toEqual([]);

    // Someone overwrites A's lease with another PublicIP and VtepMAC: A notices and re-asserts its own.
    const own = a.network.lease.attributes;
    put(manager, aSubnet.toString(), '192.168.77.9', '0e:00:00:00:09:09');
    await a.fullPasses(3);
    expect(a.errors.some((message) => message.includes(`lease ${aSubnet.toString()} was overwritten by someone else (PublicIP 192.168.77.9)`))).toBe(true);
    expect(manager.listLeases().find((lease) => lease.subnet?.equals(aSubnet))?.attributes).toEqual(own);
    await b.fullPasses(2);
    // B followed the overwrite and then the re-assertion: A's VtepMAC leads to A again, the intruder's MAC is gone.
    const aMac = (JSON.parse(own.backendData!) as { VtepMAC: string }).VtepMAC;
    const bFdb = hosts.b.bridgeJson<BridgeFdb[]>('fdb', 'show', 'dev', 'flannel.1');
    expect(bFdb.filter((entry) => entry.mac === aMac)).toEqual([expect.objectContaining({ dst: '192.168.77.1' })]);
    expect(bFdb.filter((entry) => entry.mac === '0e:00:00:00:09:09')).toEqual([]);
    hosts.b.exec('ping', '-c', '1', '-W', '2', '-I', bSubnet.firstHost(), aSubnet.firstHost());
  });
});
