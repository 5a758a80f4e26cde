// The udp backend's control plane over the recording boundaries: what flannel0 gets, the lease, and the
// forwarder's routes following lease events (added, PublicIP changed, unusable, removed), then a clean stop.
import { IpNet, parseNetworkConfig, silentLogger } from '@flannel-ts/core';
import { createMemorySubnetManager, recordingLogger } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it, vi } from 'vitest';
import { createRecordingUdpBoundaries } from './testing/index.js';
import { createUdpBackend } from './udp-backend.js';
import type { UdpRoutesReport } from './udp-network.js';

const EXT = { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1' };

async function setup(config = '{"Network":"10.5.0.0/16"}', logger = silentLogger) {
  const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
  const fakes = createRecordingUdpBoundaries({ netlink });
  const reports: UdpRoutesReport[] = [];
  const backend = createUdpBackend({ netlink, ...fakes, onRoutes: (report) => reports.push(report) });
  // A fixed own subnet: a random one could be one the tests put a peer's lease on (own-lease events are no peer's).
  const manager = createMemorySubnetManager({ config, random: () => 0 });
  const network = await (await backend({ subnetManager: manager, externalInterface: EXT, logger })).registerNetwork({
    config: parseNetworkConfig(config).config,
  });
  return { netlink, fakes, manager, network, reports };
}

describe('createUdpBackend', () => {
  it('creates flannel0 as flannel does and publishes PublicIP only', async () => {
    const { netlink, fakes, manager, network } = await setup();
    const subnet = network.lease.subnet!;
    expect(network.mtu).toBe(1472);
    expect(netlink.toCommands().filter((line) => line.includes('flannel0'))).toEqual(
      expect.arrayContaining([expect.stringContaining(`${subnet.address}/32 dev flannel0`), expect.stringContaining('10.5.0.0/16 dev flannel0')]),
    );
    expect((await netlink.getLink('flannel0')).mtu).toBe(1472);
    expect([...fakes.openSockets]).toEqual(['192.168.1.1:8285']);
    expect(manager.listLeases()[0]?.attributes).toEqual({ publicIP: '192.168.1.1' });
  });

  it.each([
    ['{"Network":"10.5.0.0/16"}', { batchSize: 32, offload: true, udpGso: true, udpGro: true }],
    ['{"Network":"10.5.0.0/16","Backend":{"Type":"udp","Offload":false}}', { batchSize: 32, offload: false, udpGso: false, udpGro: false }],
    ['{"Network":"10.5.0.0/16","Backend":{"Type":"udp","BatchSize":1}}', { batchSize: 1, offload: false, udpGso: false, udpGro: false }],
  ])('uses the socket\'s UDP GSO/GRO only together with the TUN offloads (%s)', async (config, expected) => {
    const logger = recordingLogger();
    const { fakes, network, reports } = await setup(config, logger);
    const controller = new AbortController();
    const run = network.run(controller.signal);
    await vi.waitFor(() => expect(reports.length).toBeGreaterThan(0));
    controller.abort();
    await run;
    expect(fakes.forwarders[0]?.options).toMatchObject(expected);
    expect(logger.lines.find((line) => line.message === 'udp network registered')?.fields).toMatchObject({ offload: expected.offload, udpGso: expected.udpGso, udpGro: expected.udpGro });
  });

  it('ignores a Backend.MTU key, as flannel\'s udp backend (no MTU option: interface MTU − 28)', async () => {
    const { network } = await setup('{"Network":"10.5.0.0/16","Backend":{"Type":"udp","MTU":1}}');
    expect(network.mtu).toBe(1472);
  });

  it.each([
    [{ mtu: 67 }, EXT, 'udp MTU 67 is invalid: must be at least 68'],
    [{}, { ...EXT, mtu: 95 }, 'udp MTU 67 is invalid: must be at least 68 (interface eth0 MTU 95 − 28)'],
  ])('refuses a TUN MTU under IPv4\'s 68 (the kernel\'s floor for flannel0) before a lease or device exists', async (options, ext, message) => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const fakes = createRecordingUdpBoundaries({ netlink });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16"}' });
    const backend = await createUdpBackend({ netlink, ...fakes, ...options })({ subnetManager: manager, externalInterface: ext, logger: silentLogger });
    await expect(backend.registerNetwork({ config: parseNetworkConfig('{"Network":"10.5.0.0/16"}').config })).rejects.toThrow(message);
    expect(manager.listLeases()).toEqual([]);
    expect(netlink.toCommands().filter((line) => line.includes('flannel0'))).toEqual([]);
  });

  it('follows lease events in the forwarder and closes everything when stopped', async () => {
    const { fakes, manager, network, reports } = await setup('{"Network":"10.5.0.0/16","Backend":{"Type":"udp","Port":9000}}');
    const controller = new AbortController();
    const run = network.run(controller.signal);
    await vi.waitFor(() => expect(reports.length).toBeGreaterThan(0));
    const subnet = IpNet.parse('10.5.200.0/24');
    const routesBecome = (expected: string[]) => vi.waitFor(() => expect(fakes.routes()).toEqual(expected));

    manager.putLease({ subnet, attributes: { publicIP: '192.168.1.2' }, ttlMs: 3_600_000 });
    await routesBecome(['10.5.200.0/24 -> 192.168.1.2:9000']);
    manager.putLease({ subnet, attributes: { publicIP: '192.168.1.3', backendType: 'vxlan' }, ttlMs: 3_600_000 });
    await routesBecome(['10.5.200.0/24 -> 192.168.1.3:9000']);
    manager.putLease({ subnet, attributes: { publicIP: '0.0.0.0' }, ttlMs: 3_600_000 });
    await routesBecome([]);
    manager.putLease({ subnet, attributes: { publicIP: '192.168.1.4' }, ttlMs: 3_600_000 });
    await routesBecome(['10.5.200.0/24 -> 192.168.1.4:9000']);
    manager.deleteLease({ subnet });
    await routesBecome([]);

    controller.abort();
    await expect(run).resolves.toBeUndefined();
    expect(fakes.forwarders.every((forwarder) => !forwarder.running())).toBe(true);
    expect(fakes.openTuns.size).toBe(0);
    expect(fakes.openSockets.size).toBe(0);
  });

  it('routes no rogue lease: wrong prefix length, over a peer or the own subnet, the whole network, a loopback or own PublicIP (issue 9)', async () => {
    const logger = recordingLogger();
    const { fakes, manager, network, reports } = await setup('{"Network":"10.5.0.0/16"}', logger);
    const own = network.lease.subnet!;
    expect(['10.5.30.0/24', '10.5.40.0/24', '10.5.41.0/24']).not.toContain(own.toString());
    const controller = new AbortController();
    const run = network.run(controller.signal);
    await vi.waitFor(() => expect(reports.length).toBeGreaterThan(0));
    const put = (subnet: string, publicIP: string): void => void manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP }, ttlMs: 3_600_000 });
    put('10.5.30.0/24', '192.168.1.2');
    await vi.waitFor(() => expect(fakes.routes()).toEqual(['10.5.30.0/24 -> 192.168.1.2:8285']));
    for (const [subnet, publicIP] of [
      ['10.5.30.0/25', '192.168.1.9'],
      [`${own.address}/23`, '192.168.1.9'],
      ['10.5.0.0/16', '192.168.1.9'],
      ['10.5.40.0/24', '127.0.0.1'],
      ['10.5.41.0/24', '192.168.1.1'],
    ] as const) {
      put(subnet, publicIP);
    }
    // Wait on what the leases lead to, not on a count of route reports: a report may cover several events
    // or come from the snapshot, and counting them raced under load.
    await vi.waitFor(() => expect(logger.messages('warn')).toHaveLength(5), { timeout: 10_000 });
    expect(fakes.routes()).toEqual(['10.5.30.0/24 -> 192.168.1.2:8285']);
    expect(logger.messages('warn')).toEqual([
      expect.stringContaining('10.5.30.0/25 is invalid: its prefix length must be SubnetLen 24'),
      expect.stringMatching(/\/23 is invalid: its prefix length must be SubnetLen 24/), // over the own subnet
      expect.stringContaining('10.5.0.0/16 is invalid'),
      expect.stringContaining('PublicIP "127.0.0.1" is invalid: must not be a loopback address'),
      expect.stringContaining("PublicIP \"192.168.1.1\" is invalid: it is this node's own PublicIP"),
    ]);
    controller.abort();
    await expect(run).resolves.toBeUndefined();
  });

  it('re-asserts its own lease when someone else overwrites it (issue 9)', async () => {
    const logger = recordingLogger();
    const { manager, network, reports } = await setup('{"Network":"10.5.0.0/16"}', logger);
    const controller = new AbortController();
    const run = network.run(controller.signal);
    await vi.waitFor(() => expect(reports.length).toBeGreaterThan(0));
    manager.putLease({ subnet: network.lease.subnet!, attributes: { publicIP: '192.168.1.66' } });
    await vi.waitFor(() => expect(manager.listLeases().find((lease) => lease.subnet?.equals(network.lease.subnet))?.attributes).toEqual(network.lease.attributes));
    expect(logger.messages('error')).toEqual([expect.stringContaining(`this node's lease ${network.lease.subnet} was overwritten by someone else (PublicIP 192.168.1.66)`)]);
    controller.abort();
    await expect(run).resolves.toBeUndefined();
  });

  it('refuses IPv6 and a bad Port before acquiring a lease', async () => {
    for (const [config, code] of [
      ['{"Network":"10.5.0.0/16","EnableIPv6":true,"IPv6Network":"fd10::/56"}', 'BACKEND_UNSUPPORTED'],
      ['{"Network":"10.5.0.0/16","Backend":{"Type":"udp","Port":0}}', 'CONFIG_INVALID'],
    ] as const) {
      await expect(setup(config)).rejects.toMatchObject({ code });
    }
  });

  it('closes the TUN when the socket cannot be bound', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const fakes = createRecordingUdpBoundaries({ netlink });
    fakes.failNextSocket(new Error('EADDRINUSE'));
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16"}' });
    const backend = await createUdpBackend({ netlink, ...fakes })({ subnetManager: manager, externalInterface: EXT, logger: silentLogger });
    await expect(backend.registerNetwork({ config: await manager.getNetworkConfig() })).rejects.toThrow('EADDRINUSE');
    expect(fakes.openTuns.size).toBe(0);
    expect(await netlink.findLink('flannel0')).toBeUndefined();
  });
});
