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
  let wake: (() => void) | undefined;
  const backend = createUdpBackend({ netlink, ...fakes, onRoutes: (report) => (reports.push(report), wake?.()) });
  const manager = createMemorySubnetManager({ config });
  const network = await (await backend({ subnetManager: manager, externalInterface: EXT, logger })).registerNetwork({
    config: parseNetworkConfig(config).config,
  });
  /** Waits for the next batch of lease events to be in the forwarder. */
  const nextRoutes = () => new Promise<void>((resolve) => (wake = resolve));
  return { netlink, fakes, manager, network, reports, nextRoutes };
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

  it('follows lease events in the forwarder and closes everything when stopped', async () => {
    const { fakes, manager, network, nextRoutes } = await setup('{"Network":"10.5.0.0/16","Backend":{"Type":"udp","Port":9000}}');
    const controller = new AbortController();
    const initial = nextRoutes();
    const run = network.run(controller.signal);
    await initial;
    const subnet = IpNet.parse('10.5.200.0/24');

    let next = nextRoutes();
    manager.putLease({ subnet, attributes: { publicIP: '192.168.1.2' }, ttlMs: 3_600_000 });
    await next;
    expect(fakes.routes()).toEqual(['10.5.200.0/24 -> 192.168.1.2:9000']);

    next = nextRoutes();
    manager.putLease({ subnet, attributes: { publicIP: '192.168.1.3', backendType: 'vxlan' }, ttlMs: 3_600_000 });
    await next;
    expect(fakes.routes()).toEqual(['10.5.200.0/24 -> 192.168.1.3:9000']);

    next = nextRoutes();
    manager.putLease({ subnet, attributes: { publicIP: '0.0.0.0' }, ttlMs: 3_600_000 });
    await next;
    expect(fakes.routes()).toEqual([]);

    next = nextRoutes();
    manager.putLease({ subnet, attributes: { publicIP: '192.168.1.4' }, ttlMs: 3_600_000 });
    await next;
    next = nextRoutes();
    manager.deleteLease({ subnet });
    await next;
    expect(fakes.routes()).toEqual([]);

    controller.abort();
    await expect(run).resolves.toBeUndefined();
    expect(fakes.forwarders.every((forwarder) => !forwarder.running())).toBe(true);
    expect(fakes.openTuns.size).toBe(0);
    expect(fakes.openSockets.size).toBe(0);
  });

  it('routes no rogue lease: wrong prefix length, over a peer or the own subnet, the whole network, a loopback or own PublicIP (issue 9)', async () => {
    const logger = recordingLogger();
    const { fakes, manager, network, nextRoutes } = await setup('{"Network":"10.5.0.0/16"}', logger);
    const own = network.lease.subnet!;
    const controller = new AbortController();
    const initial = nextRoutes();
    const run = network.run(controller.signal);
    await initial;
    const put = (subnet: string, publicIP: string): void => void manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP }, ttlMs: 3_600_000 });
    let next = nextRoutes();
    put('10.5.30.0/24', '192.168.1.2');
    await next;
    for (const [subnet, publicIP] of [
      ['10.5.30.0/25', '192.168.1.9'],
      [`${own.address}/23`, '192.168.1.9'],
      ['10.5.0.0/16', '192.168.1.9'],
      ['10.5.40.0/24', '127.0.0.1'],
      ['10.5.41.0/24', '192.168.1.1'],
    ] as const) {
      next = nextRoutes();
      put(subnet, publicIP);
      await next;
    }
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
    const { manager, network, nextRoutes } = await setup('{"Network":"10.5.0.0/16"}', logger);
    const controller = new AbortController();
    const initial = nextRoutes();
    const run = network.run(controller.signal);
    await initial;
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
