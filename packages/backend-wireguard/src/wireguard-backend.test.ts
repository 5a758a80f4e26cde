import { IpNet, silentLogger } from '@flannel-ts/core';
import type { ExternalInterface, Logger, Network } from '@flannel-ts/core';
import { createMemorySubnetManager, passWaiters, recordingLogger } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWireguardBackend } from './wireguard-backend.js';
import { encodeWireguardLeaseData } from './wireguard-lease-data.js';
import { WireguardPublicKey, WireguardSecretKey } from './wireguard-key.js';
import { createRecordingGenetlink, createRecordingWireguardDriver, memoryKeyStore } from './testing/index.js';

const EXT: ExternalInterface = { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1', address6: 'fd00::1' };
const KEY = new WireguardSecretKey(Buffer.alloc(32, 5));
const PEER = new WireguardPublicKey(Buffer.alloc(32, 6));
const PEER2 = new WireguardPublicKey(Buffer.alloc(32, 8));
const PSK = Buffer.alloc(32, 4).toString('base64');

const running: Array<{ controller: AbortController; done: Promise<void> }> = [];
afterEach(async () => {
  for (const { controller, done } of running.splice(0)) {
    controller.abort();
    await done;
  }
});

function setup(backend: Record<string, unknown> = {}, options: { ipv6?: boolean; logger?: Logger } = {}) {
  const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24', 'fd00::1/64'] }] });
  const driver = createRecordingWireguardDriver({ netlink });
  const manager = createMemorySubnetManager({
    config: JSON.stringify({ Network: '10.5.0.0/16', ...(options.ipv6 ? { EnableIPv6: true, IPv6Network: 'fd10::/56' } : {}), Backend: { Type: 'wireguard', ...backend } }),
    random: () => 0,
  });
  const passes = passWaiters();
  const factory = createWireguardBackend({ netlink, driver, keyStore: memoryKeyStore(KEY), logger: options.logger ?? silentLogger, onBatch: () => passes.notify() });
  return {
    netlink,
    driver,
    manager,
    nextPass: () => passes.next(),
    async register(): Promise<Network> {
      const created = await factory({ subnetManager: manager, externalInterface: EXT, logger: silentLogger });
      return created.registerNetwork({ config: await manager.getNetworkConfig() });
    },
    /** Registers, starts the network and waits for its first batch. */
    async started(): Promise<Network> {
      const network = await this.register();
      this.start(network);
      await passes.next();
      return network;
    },
    start(network: Network): { stop: () => Promise<void> } {
      const controller = new AbortController();
      const entry = { controller, done: network.run(controller.signal) };
      running.push(entry);
      return {
        stop: async () => {
          controller.abort();
          await entry.done;
        },
      };
    },
  };
}

const remote = (subnet: string, publicIP: string, key = PEER, port = 51820) => ({
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'wireguard', backendData: encodeWireguardLeaseData({ publicKey: key, port }) },
  ttlMs: 60_000,
});

describe('wireguard backend', () => {
  it('creates flannel-wg with MTU − 80, the private key and listen port, the /32, link up and the network route', async () => {
    const lab = setup();
    const network = await lab.register();
    expect(network.mtu).toBe(1420);
    expect(network.lease.attributes).toEqual({
      backendType: 'wireguard',
      publicIP: '192.168.1.1',
      backendData: `{"PublicKey":"${KEY.publicKey().toString()}","Port":51820}`,
    });
    expect(lab.driver.calls.map((call) => call.command)).toEqual(['wg set flannel-wg listen-port 51820 private-key (secret) replace-peers']);
    const commands = lab.netlink.toCommands();
    expect(commands).toContain(`ip addr add ${network.lease.subnet!.address}/32 dev flannel-wg`);
    expect(commands.filter((line) => line.includes('10.5.0.0/16'))).toEqual(['ip route add 10.5.0.0/16 dev flannel-wg']); // the printer leaves out scope link, implied by a device route (the root test reads it from the kernel)
    expect(lab.driver.devices.get('flannel-wg')).toMatchObject({ mtu: 1420, listenPort: 51820, hasPrivateKey: true });
  });

  it('uses the MTU option over the interface MTU', async () => {
    const network = await setup({ MTU: 9000 }).register();
    expect(network.mtu).toBe(8920);
  });

  it('separate mode with IPv6: flannel-wg-v6 on ListenPortV6 and BackendV6Data', async () => {
    const lab = setup({}, { ipv6: true });
    const network = await lab.register();
    expect(network.lease.attributes.backendV6Data).toBe(`{"PublicKey":"${KEY.publicKey().toString()}","Port":51821}`);
    expect(network.lease.attributes.publicIPv6).toBe('fd00::1');
    expect([...lab.driver.devices.keys()]).toEqual(['flannel-wg', 'flannel-wg-v6']);
    expect(lab.netlink.toCommands()).toContain(`ip addr add ${network.lease.ipv6Subnet!.address}/128 dev flannel-wg-v6`);
  });

  it('single-device modes: one flannel-wg, still advertising ListenPortV6 in BackendV6Data', async () => {
    const lab = setup({ Mode: 'auto' }, { ipv6: true });
    const network = await lab.register();
    expect([...lab.driver.devices.keys()]).toEqual(['flannel-wg']);
    expect(network.lease.attributes.backendV6Data).toContain('"Port":51821');
  });

  it('adds a peer per remote lease with PSK and keepalive, skips unchanged leases, replaces a changed key and removes on deletion', async () => {
    const lab = setup({ PSK, PersistentKeepaliveInterval: 25 });
    await lab.started();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    expect(lab.driver.calls.at(-1)!.command).toBe(`wg set flannel-wg peer ${PEER} preshared-key (secret) endpoint 192.168.1.9:51820 persistent-keepalive 25 allowed-ips 10.5.9.0/24`);
    const before = lab.driver.calls.length;
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    expect(lab.driver.calls.length).toBe(before);
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', PEER2));
    await lab.nextPass();
    expect(lab.driver.calls.slice(before).map((call) => call.command)).toEqual([
      `wg set flannel-wg peer ${PEER} remove`,
      `wg set flannel-wg peer ${PEER2} preshared-key (secret) endpoint 192.168.1.9:51820 persistent-keepalive 25 allowed-ips 10.5.9.0/24`,
    ]);
    lab.manager.deleteLease({ subnet: IpNet.parse('10.5.9.0/24') });
    await lab.nextPass();
    expect(lab.driver.calls.at(-1)!.command).toBe(`wg set flannel-wg peer ${PEER2} remove`);
    expect((await lab.driver.devices.get('flannel-wg'))!.peers).toEqual([]);
  });

  it('ignores leases of other types and logs peers it cannot use', async () => {
    const lab = setup();
    await lab.started();
    lab.manager.putLease({ subnet: IpNet.parse('10.5.8.0/24'), attributes: { publicIP: '192.168.1.8', backendType: 'vxlan' } });
    await lab.nextPass();
    lab.manager.putLease({ subnet: IpNet.parse('10.5.7.0/24'), attributes: { publicIP: '192.168.1.7', backendType: 'wireguard', backendData: '{"PublicKey":"nope"}' } });
    await lab.nextPass();
    expect(lab.driver.calls).toHaveLength(1);
  });

  it('sets up no peer for a rogue lease: wrong prefix length, over the own subnet, the whole network, a loopback or own PublicIP (issue 9)', async () => {
    const logger = recordingLogger();
    const lab = setup({}, { logger });
    const network = await lab.register();
    const own = network.lease.subnet!;
    lab.start(network);
    await lab.nextPass();
    const before = lab.driver.calls.length;
    for (const [subnet, publicIP] of [
      ['10.5.9.0/25', '192.168.1.9'],
      [`${own.address}/23`, '192.168.1.9'],
      ['10.5.0.0/16', '192.168.1.9'],
      ['10.5.40.0/24', '127.0.0.1'],
      ['10.5.41.0/24', '192.168.1.1'],
    ] as const) {
      lab.manager.putLease({ ...remote(subnet, publicIP, PEER2), subnet: IpNet.parse(subnet) });
      await lab.nextPass();
    }
    expect(lab.driver.calls.length).toBe(before);
    expect(lab.driver.devices.get('flannel-wg')!.peers).toEqual([]);
    expect(logger.messages('warn')).toEqual([
      expect.stringContaining('10.5.9.0/25 is invalid: its prefix length must be SubnetLen 24'),
      expect.stringMatching(/\/23 is invalid: its prefix length must be SubnetLen 24/),
      expect.stringContaining('10.5.0.0/16 is invalid'),
      expect.stringContaining('PublicIP "127.0.0.1" is invalid: must not be a loopback address'),
      expect.stringContaining('PublicIP "192.168.1.1" is invalid: it is this node\'s own PublicIP'),
    ]);
  });

  it('gives a PublicKey to the first lease in lease order, logs the other once naming both, and hands it over when the first goes', async () => {
    const logger = recordingLogger();
    const lab = setup({}, { logger });
    await lab.started();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.20.0/24', '192.168.1.20'));
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.20.0/24', '192.168.1.20')); // a renewal: not logged again
    await lab.nextPass();
    expect(lab.driver.devices.get('flannel-wg')!.peers).toMatchObject([{ publicKey: PEER.toString(), allowedIPs: ['10.5.9.0/24'] }]);
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({
        message: `ignoring lease 10.5.20.0/24: PublicKey ${PEER} is also claimed by lease 10.5.9.0/24, which is older (or sorts first) and is kept`,
        fields: { lease: '10.5.20.0/24', conflictsWith: '10.5.9.0/24', claim: `PublicKey ${PEER}` },
      }),
    ]);
    lab.manager.deleteLease({ subnet: IpNet.parse('10.5.9.0/24') });
    await lab.nextPass();
    expect(lab.driver.devices.get('flannel-wg')!.peers).toMatchObject([{ publicKey: PEER.toString(), endpoint: '192.168.1.20:51820', allowedIPs: ['10.5.20.0/24'] }]);
  });

  it("refuses a lease carrying this node's own PublicKey, logging it once naming the lease", async () => {
    const logger = recordingLogger();
    const lab = setup({}, { logger });
    await lab.started();
    const before = lab.driver.calls.length;
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', KEY.publicKey()));
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', KEY.publicKey())); // a renewal: not logged again
    await lab.nextPass();
    expect(lab.driver.calls.length).toBe(before);
    expect(lab.driver.devices.get('flannel-wg')!.peers).toEqual([]);
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ message: `ignoring lease 10.5.9.0/24: PublicKey ${KEY.publicKey()} is this node's own`, fields: { lease: '10.5.9.0/24' } }),
    ]);
  });

  it('on a single device, lets an IPv4 lease and an IPv6 lease sharing a PublicKey not take turns owning the peer', async () => {
    const logger = recordingLogger();
    const lab = setup({ Mode: 'auto' }, { ipv6: true, logger });
    await lab.started();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    lab.manager.putLease({
      ipv6Subnet: IpNet.parse('fd10:0:0:20::/64'),
      attributes: { publicIP: '192.168.1.20', publicIPv6: 'fd00::20', backendType: 'wireguard', backendV6Data: encodeWireguardLeaseData({ publicKey: PEER, port: 51820 }) },
      ttlMs: 60_000,
    });
    await lab.nextPass();
    expect(lab.driver.devices.get('flannel-wg')!.peers).toMatchObject([{ publicKey: PEER.toString(), allowedIPs: ['10.5.9.0/24'] }]);
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ fields: { lease: 'fd10:0:0:20::/64', conflictsWith: '10.5.9.0/24', claim: `PublicKey ${PEER}` } }),
    ]);
  });

  it("closes the kernel driver's generic netlink socket on close(), after run removed the devices", async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const genetlink = createRecordingGenetlink({ families: { wireguard: 0x1b } });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"wireguard"}}', random: () => 0 });
    const backend = await createWireguardBackend({ netlink, genetlink, keyStore: memoryKeyStore(KEY) })({ subnetManager: manager, externalInterface: EXT, logger: silentLogger });
    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    expect(genetlink.requests.length).toBeGreaterThan(0);
    const controller = new AbortController();
    const done = network.run(controller.signal);
    controller.abort();
    await done;
    expect(await netlink.findLink('flannel-wg')).toBeUndefined();
    expect(genetlink.closes).toBe(0);
    await network.close?.();
    expect(genetlink.closes).toBe(1);
  });

  it("closes the kernel driver's generic netlink socket when registration fails", async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const genetlink = createRecordingGenetlink({ families: { wireguard: 0x1b } });
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"wireguard"}}', random: () => 0 });
    const backend = await createWireguardBackend({ netlink, genetlink, keyStore: memoryKeyStore(KEY) })({ subnetManager: manager, externalInterface: EXT, logger: silentLogger });
    netlink.failNext({ operation: 'replaceRoute', errno: 'ENETUNREACH' });
    await expect(backend.registerNetwork({ config: await manager.getNetworkConfig() })).rejects.toThrow();
    expect(await netlink.findLink('flannel-wg')).toBeUndefined();
    expect(genetlink.closes).toBe(1);
  });

  it("re-asserts its own lease when someone else overwrites it (issue 9)", async () => {
    const logger = recordingLogger();
    const lab = setup({}, { logger });
    const network = await lab.started();
    lab.manager.putLease({ subnet: network.lease.subnet!, attributes: { ...network.lease.attributes, publicIP: '192.168.1.66' } });
    await vi.waitFor(() => expect(lab.manager.listLeases().find((lease) => lease.subnet?.equals(network.lease.subnet))?.attributes).toEqual(network.lease.attributes));
    expect(logger.messages('error')).toEqual([expect.stringContaining(`this node's lease ${network.lease.subnet} was overwritten by someone else (PublicIP 192.168.1.66)`)]);
  });

  it('deletes its devices when the network stops, as flannel does', async () => {
    const lab = setup();
    const network = await lab.register();
    const { stop } = lab.start(network);
    await lab.nextPass();
    await stop();
    expect(lab.driver.devices.size).toBe(0);
    expect(lab.netlink.toCommands().some((line) => line.includes('flannel-wg'))).toBe(false);
  });

  it('leaves no device behind when registration fails', async () => {
    const lab = setup();
    lab.manager.setConfig(JSON.stringify({ Network: '10.5.0.0/22', Backend: { Type: 'wireguard' } }));
    for (const subnet of ['10.5.1.0/24', '10.5.2.0/24', '10.5.3.0/24']) lab.manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP: '192.168.9.9' } });
    await expect(lab.register()).rejects.toMatchObject({ code: 'SUBNETS_EXHAUSTED' });
    expect(lab.driver.devices.size).toBe(0);
  });

  it('refuses an invalid Mode before creating anything', async () => {
    const lab = setup({ Mode: 'both' });
    await expect(lab.register()).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(lab.driver.calls).toEqual([]);
  });
});
