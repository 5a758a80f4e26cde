// End to end over wireguard-go: three testlab hosts, real etcd, one wireguard backend per host (in this
// process; netlink opened in the host, wireguard-go started in the host's network namespace and in a
// mount namespace of its own). Dual stack, PSK and keepalive; pings across every pair, ciphertext only
// on the underlay, peer removal, restart, and a hand-made flannel lease for a plain wireguard-go
// configured by `wg`.
import { randomBytes } from 'node:crypto';
import { silentLogger } from '@flannel-ts/core';
import type { Network } from '@flannel-ts/core';
import { createNetlink } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import type { EtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { createLab, execCommand, isRoot, rootSkipReason, waitFor } from '@flannel-ts/testlab';
import type { Lab, LabHost, LabProcess } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWireguardBackend } from './wireguard-backend.js';
import type { WireguardDevice, WireguardDriver } from './wireguard-device.js';
import { createWireguardGoDriver } from './wireguard-go-driver.js';
import { memoryKeyStore } from './testing/index.js';

const PREFIX = '/coreos.com/network';
const PSK = randomBytes(32).toString('base64');

interface Node {
  readonly host: LabHost;
  readonly netlink: Netlink;
  readonly manager: EtcdSubnetManager;
  readonly keyStore: ReturnType<typeof memoryKeyStore>;
  readonly devices: WireguardDevice[];
  network: Network;
  controller: AbortController;
  done: Promise<void>;
}

function recordingDevices(inner: WireguardDriver, into: WireguardDevice[]): WireguardDriver {
  return {
    kind: inner.kind,
    async createDevice(name, mtu, signal) {
      const device = await inner.createDevice(name, mtu, signal);
      into.push(device);
      return device;
    },
  };
}

async function ping(host: LabHost, from: string, to: string): Promise<boolean> {
  return (await host.exec('ping', ['-n', '-q', '-c', '1', '-w', '2', '-I', from, to])).code === 0;
}

const pod4 = (node: Node): string => node.network.lease.subnet!.toString().replace(/\.0\/24$/, '.1');
const pod6 = (node: Node): string => `${node.network.lease.ipv6Subnet!.toString().split('/')[0]}1`;

describe.skipIf(!isRoot())(`wireguard backend over wireguard-go end to end ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  const nodes: Node[] = [];

  async function start(node: Node): Promise<void> {
    const backend = await createWireguardBackend({
      netlink: node.netlink,
      keyStore: node.keyStore,
      driver: recordingDevices(createWireguardGoDriver({ netlink: node.netlink, mountNamespace: 'private', commandPrefix: ['ip', 'netns', 'exec', node.host.netns] }), node.devices),
    })({
      subnetManager: node.manager,
      externalInterface: { name: 'eth0', index: (await node.netlink.getLink('eth0')).index, mtu: 1500, address: node.host.address, address6: node.host.address6! },
      logger: silentLogger,
    });
    // A restart reuses the subnet it held (flanneld reads it back from subnet.env).
    const held = node.network?.lease;
    const previous = held === undefined ? undefined : { ...(held.subnet ? { subnet: held.subnet } : {}), ...(held.ipv6Subnet ? { ipv6Subnet: held.ipv6Subnet } : {}) };
    node.network = await backend.registerNetwork({ config: await node.manager.getNetworkConfig(), ...(previous ? { previous } : {}) });
    node.controller = new AbortController();
    node.done = node.network.run(node.controller.signal);
  }

  const subnetKeyPrefix = (node: Node): string => `${PREFIX}/subnets/${node.network.lease.subnet!.toString().replace('/', '-')}`;
  const etcdctl = async (...args: string[]): Promise<string> =>
    (await execCommand('ip', ['netns', 'exec', lab.underlay.netns, 'etcdctl', `--endpoints=${lab.etcd.hostEndpoints}`, ...args], { check: true })).stdout;
  /** The lease's value (a dual-stack lease's key also names its IPv6 subnet). */
  const leaseValue = async (node: Node): Promise<string> => (await etcdctl('get', '--prefix', '--print-value-only', subnetKeyPrefix(node))).trim();

  async function stop(node: Node): Promise<void> {
    node.controller.abort();
    await node.done;
  }

  beforeAll(async () => {
    lab = await createLab({ hosts: 3, etcd: true, ipv6: true });
    await lab.etcd.put(
      `${PREFIX}/config`,
      JSON.stringify({ Network: '10.8.0.0/16', EnableIPv6: true, IPv6Network: 'fd08::/56', Backend: { Type: 'wireguard', PSK, PersistentKeepaliveInterval: 25 } }),
    );
    for (const host of lab.hosts) {
      const node = {
        host,
        netlink: await createNetlink({ netns: { name: host.netns } }),
        manager: createEtcdSubnetManager({ endpoints: lab.etcd.endpoints, logger: silentLogger }),
        keyStore: memoryKeyStore(),
        devices: [],
      } as unknown as Node;
      await start(node);
      nodes.push(node);
      const v4 = node.network.lease.subnet!.toString().replace(/\.0\/24$/, '.1/24');
      await host.exec('ip', ['link', 'add', 'cni0', 'type', 'bridge'], { check: true });
      await host.exec('ip', ['addr', 'add', v4, 'dev', 'cni0'], { check: true });
      await host.exec('ip', ['addr', 'add', `${pod6(node)}/64`, 'dev', 'cni0', 'nodad'], { check: true });
      await host.exec('ip', ['link', 'set', 'cni0', 'up'], { check: true });
    }
  });

  afterAll(async () => {
    for (const node of nodes) {
      node.controller?.abort();
      await node.done?.catch(() => undefined);
      await node.manager.close();
      await node.netlink.close();
    }
    await lab?.close();
  });

  it("publishes flannel's lease JSON and builds flannel-wg/flannel-wg-v6 with MTU 1420, the /32 and /128 and the network routes", async () => {
    for (const node of nodes) {
      const publicKey = node.keyStore.key.publicKey().toString();
      expect(await leaseValue(node)).toBe(
        `{"PublicIP":"${node.host.address}","PublicIPv6":"${node.host.address6}","BackendType":"wireguard","BackendData":{"PublicKey":"${publicKey}","Port":51820},"BackendV6Data":{"PublicKey":"${publicKey}","Port":51821}}`,
      );
      expect(node.network.mtu).toBe(1420);
      const link = await node.netlink.getLink('flannel-wg');
      expect({ mtu: link.mtu, up: link.up }).toEqual({ mtu: 1420, up: true });
      const { stdout: routes } = await node.host.exec('ip', ['route', 'show', 'dev', 'flannel-wg'], { check: true });
      expect(routes).toContain('10.8.0.0/16 scope link');
      const { stdout: routes6 } = await node.host.exec('ip', ['-6', 'route', 'show', 'dev', 'flannel-wg-v6'], { check: true });
      expect(routes6).toContain('fd08::/56');
      const { stdout: addresses } = await node.host.exec('ip', ['-o', 'addr', 'show', 'dev', 'flannel-wg'], { check: true });
      expect(addresses).toContain(`${node.network.lease.subnet!.address}/32`);
    }
  });

  it('configures one peer per remote host with endpoint, AllowedIPs, PSK and keepalive', async () => {
    const [first, second] = nodes as [Node, Node];
    await waitFor(async () => (await first.devices[0]!.read()).peers.length === 2, { timeoutMs: 15_000 });
    const state = await first.devices[0]!.read();
    const peer = state.peers.find((each) => each.publicKey === second.keyStore.key.publicKey().toString())!;
    expect(peer).toMatchObject({ endpoint: `${second.host.address}:51820`, allowedIPs: [second.network.lease.subnet!.toString()], persistentKeepaliveInterval: 25, hasPresharedKey: true });
    expect(state.listenPort).toBe(51820);
    const v6 = (await first.devices[1]!.read()).peers.find((each) => each.publicKey === second.keyStore.key.publicKey().toString())!;
    expect(v6).toMatchObject({ endpoint: `[${second.host.address6}]:51821`, allowedIPs: [second.network.lease.ipv6Subnet!.toString()] });
  });

  it('carries IPv4 and IPv6 pod traffic between every pair of hosts', async () => {
    for (const from of nodes) {
      for (const to of nodes) {
        if (from === to) continue;
        await waitFor(() => ping(from.host, pod4(from), pod4(to)), { timeoutMs: 15_000 });
        await waitFor(() => ping(from.host, pod6(from), pod6(to)), { timeoutMs: 15_000 });
      }
    }
  });

  it('shows only WireGuard UDP on the underlay, never the inner addresses', async () => {
    const [first, second] = nodes as [Node, Node];
    const capture: LabProcess = first.host.spawn('tcpdump', ['-i', 'eth0', '-n', '-l', '-c', '8', 'udp or icmp']);
    await capture.waitForOutput(/listening on eth0/, { timeoutMs: 10_000 });
    await first.host.exec('ping', ['-n', '-q', '-c', '4', '-i', '0.2', '-w', '5', '-I', pod4(first), pod4(second)]);
    // tcpdump ends after 8 packets (4 echoes each way); should one be lost, stop it anyway.
    await Promise.race([capture.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await capture.stop(1_000);
    const lines = capture.stdout.split('\n').filter((line) => line.includes(' IP '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toContain('UDP');
      expect(line).not.toMatch(/10\.8\./);
    }
  });

  it('removes the peer when a lease is removed, and a restarted host is reachable again', async () => {
    const [first, , third] = nodes as [Node, Node, Node];
    const thirdKey = third.keyStore.key.publicKey().toString();
    await stop(third);
    expect(await third.netlink.findLink('flannel-wg')).toBeUndefined();
    await etcdctl('del', '--prefix', subnetKeyPrefix(third));
    await waitFor(async () => !(await first.devices[0]!.read()).peers.some((peer) => peer.publicKey === thirdKey), { timeoutMs: 15_000 });

    third.devices.length = 0;
    await start(third);
    await third.host.exec('ip', ['link', 'set', 'cni0', 'up']);
    await waitFor(async () => (await first.devices[0]!.read()).peers.some((peer) => peer.publicKey === thirdKey), { timeoutMs: 15_000 });
    // The restarted side sends first: it has no session, so it starts the handshake.
    await waitFor(() => ping(third.host, pod4(third), pod4(first)), { timeoutMs: 15_000 });
    expect(await ping(first.host, pod4(first), pod4(third))).toBe(true);
  });

  it('interoperates with a plain wireguard-go configured by wg through a hand-made flannel lease', async () => {
    const [first] = nodes as [Node];
    const host = await lab.addHost();
    const privateKey = (await execCommand('wg', ['genkey'], { check: true })).stdout.trim();
    const publicKey = (await execCommand('wg', ['pubkey'], { check: true, input: `${privateKey}\n` })).stdout.trim();
    const wgProcess = host.spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mkdir -p /var/run/wireguard && mount -t tmpfs tmpfs /var/run/wireguard && exec wireguard-go -f wg0']);
    const inside = (command: string, args: string[], input?: string) =>
      execCommand('nsenter', ['-t', String(wgProcess.pid), '-m', '-n', command, ...args], { check: true, ...(input === undefined ? {} : { input }) });
    await waitFor(async () => (await execCommand('nsenter', ['-t', String(wgProcess.pid), '-m', '-n', 'wg', 'show', 'wg0'])).code === 0, { timeoutMs: 10_000 });
    await inside('sh', ['-c', `umask 077 && cat > /var/run/wireguard/key`], privateKey);
    await inside('sh', ['-c', `umask 077 && cat > /var/run/wireguard/psk`], PSK);
    await inside('wg', ['set', 'wg0', 'private-key', '/var/run/wireguard/key', 'listen-port', '51820', 'peer', first.keyStore.key.publicKey().toString(), 'preshared-key', '/var/run/wireguard/psk', 'endpoint', `${first.host.address}:51820`, 'allowed-ips', first.network.lease.subnet!.toString()]);
    await host.exec('ip', ['addr', 'add', '10.8.200.0/32', 'dev', 'wg0'], { check: true });
    await host.exec('ip', ['link', 'set', 'wg0', 'up'], { check: true });
    await host.exec('ip', ['route', 'add', '10.8.0.0/16', 'dev', 'wg0', 'scope', 'link'], { check: true });
    await lab.etcd.put(`${PREFIX}/subnets/10.8.200.0-24`, `{"PublicIP":"${host.address}","PublicIPv6":null,"BackendType":"wireguard","BackendData":{"PublicKey":"${publicKey}","Port":51820}}`);
    await waitFor(async () => (await first.devices[0]!.read()).peers.some((peer) => peer.publicKey === publicKey), { timeoutMs: 15_000 });
    await waitFor(async () => (await host.exec('ping', ['-n', '-q', '-c', '1', '-w', '2', '-I', '10.8.200.0', pod4(first)])).code === 0, { timeoutMs: 15_000 });
    expect(await ping(first.host, pod4(first), '10.8.200.0')).toBe(true);
  });
});
