// Testing a node agent without root or etcd: the vxlan backend over RecordingNetlink (an in-memory kernel
// that prints itself as ip/bridge commands) and the in-memory subnet manager, then the shared
// conformance suites that every SubnetManager and Backend implementation passes.
// Run: pnpm exec vitest run --config docs/examples/vitest.config.ts
import { IpNet, silentLogger } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { testBackend, testSubnetManager } from '@flannel-ts/core/testing/vitest';
import { createVxlanBackend, encodeVxlanLeaseData } from '@flannel-ts/backend-vxlan';
import type { VxlanReconcileReport } from '@flannel-ts/backend-vxlan';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';

describe('my agent', () => {
  it('programs a remote host, and removes it when its lease goes', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}', random: () => 0 });
    // Reconcile passes are announced instead of waited for; no timers run (no periodic check).
    const passes: Array<(report: VxlanReconcileReport) => void> = [];
    const nextPass = () => new Promise<VxlanReconcileReport>((resolve) => passes.push(resolve));
    const backend = await createVxlanBackend({
      netlink,
      random: (size) => new Uint8Array(size).fill(0x12), // a deterministic VTEP MAC
      writeSysctl: async () => undefined,
      ticks: async function* (signal) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        yield* [];
      },
      onReconcile: (report) => passes.splice(0).forEach((resolve) => resolve(report)),
    })({ subnetManager: manager, externalInterface: { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1' }, logger: silentLogger });

    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    expect(network.lease.subnet?.toString()).toBe('10.5.1.0/24');
    expect(network.mtu).toBe(1450);

    const controller = new AbortController();
    let pass = nextPass();
    const running = network.run(controller.signal);
    await pass; // the initial snapshot
    pass = nextPass();
    const remote = manager.putLease({
      subnet: IpNet.parse('10.5.34.0/24'),
      attributes: { publicIP: '192.168.1.2', backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: 'aa:aa:aa:aa:aa:02' }) },
      ttlMs: 60_000,
    });
    await pass;
    expect(netlink.toCommands().filter((line) => line.includes('10.5.34.0') || line.includes('aa:aa:aa:aa:aa:02'))).toMatchInlineSnapshot(`
      [
        "ip route add 10.5.34.0/24 via 10.5.34.0 dev flannel.1 onlink",
        "ip neigh replace 10.5.34.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:02 nud permanent",
        "bridge fdb append aa:aa:aa:aa:aa:02 dev flannel.1 self dst 192.168.1.2 permanent",
      ]
    `);

    pass = nextPass();
    manager.deleteLease(remote);
    await pass;
    expect(netlink.toCommands().some((line) => line.includes('10.5.34.0'))).toBe(false);

    controller.abort();
    await running; // resolves; flannel.1 and its address stay, as after a daemon shutdown
    expect(netlink.toCommands().some((line) => line.startsWith('ip link add flannel.1'))).toBe(true);
  });
});

// The reference harness: a fresh, empty datastore per test and levers to change it behind the manager.
testSubnetManager('memory', () => {
  const manager = createMemorySubnetManager();
  return {
    manager,
    setConfig: (config) => manager.setConfig(config),
    putLease: (lease) => void manager.putLease(lease),
    deleteLease: (lease) => void manager.deleteLease(lease),
    close: () => manager.close(),
  };
});

// Any Backend: here vxlan over a fake kernel. `state` lets the suite check that a refused registration
// leaves nothing behind.
testBackend(
  'vxlan',
  () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24', 'fd00::1/64'] }] });
    return {
      createBackend: createVxlanBackend({ netlink, writeSysctl: async () => undefined }),
      remoteAttributes: (publicIP) => ({ publicIP, backendType: 'vxlan', backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: 'aa:aa:aa:aa:aa:02' }) }),
      state: () => netlink.toCommands(),
      close: () => netlink.close(),
    };
  },
  { backendConfig: { Type: 'vxlan', VNI: 1 }, invalidBackendConfig: { config: { Type: 'vxlan', VNI: -1 } }, ipv6: true },
);
