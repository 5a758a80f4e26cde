import { FlannelError, IpNet, silentLogger } from '@flannel-ts/core';
import type { ExternalInterface, Logger, Network } from '@flannel-ts/core';
import { createMemorySubnetManager, manualTicks, passWaiters, recordingLogger } from '@flannel-ts/core/testing';
import type { MemorySubnetManager } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { RecordingNetlink } from '@flannel-ts/netlink/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHostGwBackend, HOST_GW_NAT_MESSAGE } from './host-gw-backend.js';
import type { HostGwReconcileReport } from './host-gw-backend.js';

const EXT: ExternalInterface = { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1', address6: 'fd00::1' };

const running: Array<{ controller: AbortController; done: Promise<void> }> = [];
afterEach(async () => {
  for (const { controller, done } of running.splice(0)) {
    controller.abort();
    await done;
  }
});

function setup(options: { ipv6?: boolean; ext?: Partial<ExternalInterface>; logger?: Logger } = {}) {
  const netlink: RecordingNetlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24', 'fd00::1/64'] }] });
  const manager: MemorySubnetManager = createMemorySubnetManager({
    config: JSON.stringify({ Network: '10.5.0.0/16', ...(options.ipv6 ? { EnableIPv6: true, IPv6Network: 'fd10::/56' } : {}), Backend: { Type: 'host-gw' } }),
    random: () => 0,
  });
  const ticks = manualTicks();
  const passes = passWaiters();
  const reports: HostGwReconcileReport[] = [];
  // The route listings the backend asked for (`calls` records mutations only).
  let dumps = 0;
  const factory = createHostGwBackend({
    netlink: {
      listRoutes: (...args) => {
        dumps += 1;
        return netlink.listRoutes(...args);
      },
      batch: (...args) => netlink.batch(...args),
    },
    logger: options.logger ?? silentLogger,
    ticks: (signal) => ticks.source(signal),
    onReconcile: (report) => {
      reports.push(report);
      passes.notify();
    },
  });
  const nextPass = (): Promise<void> => passes.next();
  return {
    netlink,
    manager,
    reports,
    dumps: () => dumps,
    nextPass,
    tick: () => ticks.tick(),
    async register(): Promise<Network> {
      const backend = await factory({ subnetManager: manager, externalInterface: { ...EXT, ...options.ext }, logger: silentLogger });
      return backend.registerNetwork({ config: await manager.getNetworkConfig() });
    },
    async start(network: Network): Promise<void> {
      const controller = new AbortController();
      const first = nextPass();
      running.push({ controller, done: network.run(controller.signal) });
      await first;
    },
  };
}

describe('createHostGwBackend', () => {
  it('refuses a PublicIP that differs from the interface address with flannel message', () => {
    const netlink = createRecordingNetlink();
    const manager = createMemorySubnetManager();
    let caught: unknown;
    try {
      createHostGwBackend({ netlink })({ subnetManager: manager, externalInterface: { ...EXT, publicIP: '203.0.113.1' }, logger: silentLogger });
    } catch (error) {
      caught = error;
    }
    expect(FlannelError.hasCode(caught, 'BACKEND_UNSUPPORTED')).toBe(true);
    expect((caught as Error).message).toBe(HOST_GW_NAT_MESSAGE);
  });

  it('acquires a lease with BackendType host-gw and reports the interface MTU', async () => {
    const h = setup();
    const network = await h.register();
    expect(network.mtu).toBe(1500);
    expect(network.lease.attributes).toEqual({ publicIP: '192.168.1.1', backendType: 'host-gw' });
    expect(h.netlink.calls).toEqual([]);
  });

  it('routes each remote subnet via its PublicIP on eth0, ignores other types, and removes routes of gone leases', async () => {
    const h = setup();
    const network = await h.register();
    h.manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2', backendType: 'host-gw' } });
    h.manager.putLease({ subnet: IpNet.parse('10.5.35.0/24'), attributes: { publicIP: '192.168.1.3', backendType: 'vxlan' } });
    await h.start(network);
    expect(h.netlink.toCommands()).toEqual(['ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70']);

    const pass = h.nextPass();
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    await pass;
    expect(h.netlink.toCommands()).toEqual([]);
  });

  it('routes no rogue lease: wrong prefix length, over the own subnet, the whole network, a bad or own PublicIP (issue 9)', async () => {
    const h = setup();
    const network = await h.register();
    const own = network.lease.subnet!;
    const put = (subnet: string, publicIP: string): void => void h.manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP, backendType: 'host-gw' } });
    put('10.5.34.0/24', '192.168.1.2');
    put('10.5.34.128/25', '192.168.1.9');
    put(`${own.address}/23`, '192.168.1.9');
    put('10.5.0.0/16', '192.168.1.9');
    put('10.5.40.0/24', '224.0.0.1');
    put('10.5.41.0/24', '192.168.1.1');
    await h.start(network);
    expect(h.netlink.toCommands()).toEqual(['ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70']);
  });

  it('re-asserts its own lease when someone else overwrites it (issue 9)', async () => {
    const logger = recordingLogger();
    const h = setup({ logger });
    const network = await h.register();
    await h.start(network);
    h.manager.putLease({ subnet: network.lease.subnet!, attributes: { ...network.lease.attributes, publicIP: '192.168.1.66' } });
    await vi.waitFor(() => expect(h.manager.listLeases().find((lease) => lease.subnet?.equals(network.lease.subnet))?.attributes).toEqual(network.lease.attributes));
    expect(logger.messages('error')).toEqual([expect.stringContaining(`this node's lease ${network.lease.subnet} was overwritten by someone else (PublicIP 192.168.1.66)`)]);
  });

  it('replaces a route whose gateway changed', async () => {
    const h = setup();
    const network = await h.register();
    h.manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2', backendType: 'host-gw' } });
    await h.start(network);
    const pass = h.nextPass();
    h.manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.4', backendType: 'host-gw' } });
    await pass;
    expect(h.netlink.toCommands()).toEqual(['ip route add 10.5.34.0/24 via 192.168.1.4 dev eth0 proto 70']);
  });

  it('restores a deleted route at the periodic check', async () => {
    const h = setup();
    const network = await h.register();
    h.manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2', backendType: 'host-gw' } });
    await h.start(network);
    await h.netlink.outside.deleteRoute({ family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2', index: 2 });
    expect(h.netlink.toCommands()).toEqual([]);
    const pass = h.nextPass();
    h.tick();
    await pass;
    expect(h.netlink.toCommands()).toEqual(['ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70']);
  });

  it('handles lease events after the first pass from its model, without listing routes', async () => {
    const h = setup();
    const network = await h.register();
    h.manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2', backendType: 'host-gw' } });
    await h.start(network);
    expect(h.dumps()).toBe(1);
    const start = h.netlink.calls.length;

    let pass = h.nextPass();
    h.manager.putLease({ subnet: IpNet.parse('10.5.35.0/24'), attributes: { publicIP: '192.168.1.3', backendType: 'host-gw' } });
    await pass;
    pass = h.nextPass();
    // The route seeded by the first (full) pass is removed from the model alone.
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    await pass;
    expect(h.netlink.callNames().slice(start)).toEqual(['replaceRoute', 'deleteRoute']);
    expect(h.netlink.toCommands()).toEqual(['ip route add 10.5.35.0/24 via 192.168.1.3 dev eth0 proto 70']);
    expect(h.dumps()).toBe(1);
    expect(h.reports.map((report) => report.mode)).toEqual(['full', 'incremental', 'incremental']);
    expect(h.reports.at(-1)).toEqual({ mode: 'incremental', operations: 1, failed: 0, routes: 1 });

    // A lease that turns to another backend type loses its route on the fast path too.
    pass = h.nextPass();
    h.manager.putLease({ subnet: IpNet.parse('10.5.35.0/24'), attributes: { publicIP: '192.168.1.3', backendType: 'vxlan' } });
    await pass;
    expect(h.netlink.toCommands()).toEqual([]);

    // The periodic check still lists the routes, and finds nothing to change.
    pass = h.nextPass();
    h.tick();
    await pass;
    expect(h.dumps()).toBe(2);
    expect(h.reports.at(-1)).toEqual({ mode: 'full', operations: 0, failed: 0, routes: 0 });
  });

  it('repairs a failed incremental update with a full pass at once', async () => {
    const h = setup();
    const network = await h.register();
    await h.start(network);
    h.netlink.failNext({ operation: 'replaceRoute', errno: 'ENOBUFS' });
    const repaired = new Promise<void>((resolve) => {
      const wait = (): void => void h.nextPass().then(() => (h.reports.at(-1)?.mode === 'full' ? resolve() : wait()));
      wait();
    });
    h.manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2', backendType: 'host-gw' } });
    await repaired;
    expect(h.reports.map((report) => [report.mode, report.failed])).toEqual([
      ['full', 0],
      ['incremental', 1],
      ['full', 0],
    ]);
    expect(h.netlink.toCommands()).toEqual(['ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70']);
    expect(h.dumps()).toBe(2);
  });

  it('routes IPv6 subnets via PublicIPv6 when IPv6 is enabled', async () => {
    const h = setup({ ipv6: true });
    const network = await h.register();
    expect(network.lease.attributes).toEqual({ publicIP: '192.168.1.1', publicIPv6: 'fd00::1', backendType: 'host-gw' });
    h.manager.putLease({
      subnet: IpNet.parse('10.5.34.0/24'),
      ipv6Subnet: IpNet.parse('fd10:0:0:34::/64'),
      attributes: { publicIP: '192.168.1.2', publicIPv6: 'fd00::2', backendType: 'host-gw' },
    });
    await h.start(network);
    expect(h.netlink.toCommands()).toEqual([
      'ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70',
      'ip route add fd10:0:0:34::/64 via fd00::2 dev eth0 proto 70',
    ]);
  });
});

describe('createHostGwBackend without an onReconcile hook', () => {
  it('still programs routes for remote leases', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const manager = createMemorySubnetManager({
      config: JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'host-gw' } }),
      random: () => 0,
    });
    const controller = new AbortController();
    const events = netlink.subscribe(['ipv4-route'], { signal: controller.signal });
    const backend = await createHostGwBackend({ netlink, logger: silentLogger })({
      subnetManager: manager,
      externalInterface: EXT,
      logger: silentLogger,
    });
    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    manager.putLease({ subnet: IpNet.parse('10.5.34.0/24'), attributes: { publicIP: '192.168.1.2', backendType: 'host-gw' } });
    const done = network.run(controller.signal);
    try {
      for await (const event of events) {
        if (event.type === 'newroute' && event.route.destination === '10.5.34.0/24') break;
      }
      expect(netlink.toCommands()).toContain('ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70');
    } finally {
      controller.abort();
      await done;
    }
  });
});
