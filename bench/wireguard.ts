// WireGuard data path and tunnel set-up: flannel-ts managing wireguard-go versus the same wireguard-go
// configured by hand with `wg`, in one lab, in the same run.
//
// Run as root from the repository root:
//   pnpm exec tsx bench/wireguard.ts        (ROUNDS=3 iperf3 rounds of SECONDS=5 each way; JOINS=3)
//
// Pair A (h1, h2): one wireguard backend per host (this process is their control plane; each host's
// wireguard-go in its own network and mount namespace), config {"Type":"wireguard"} over real etcd.
// Pair B (h3, h4): wireguard-go started the same way, configured with `wg set` and `ip` exactly as flannel
// would (MTU 1420, <subnet>/32, the network route scope link, one peer with endpoint and AllowedIPs).
// Both pairs get a cni0 bridge holding their subnet's first address; iperf3 runs between those. Rounds
// alternate which pair goes first; the figure is the ratio of the medians.
// Then: the time from a new lease (a restarted flannel-ts node's lease written to etcd) to the first ping
// through the tunnel, against the same for the hand-made pair (from `wg set` on both sides to the first
// ping); both include WireGuard's handshake.
import { silentLogger } from '@flannel-ts/core';
import type { Network } from '@flannel-ts/core';
import { createNetlink } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import type { EtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { createLab, execCommand, waitFor } from '@flannel-ts/testlab';
import type { LabHost, LabProcess } from '@flannel-ts/testlab';
import { createWireguardBackend, createWireguardGoDriver } from '../packages/backend-wireguard/src/index.js';
import { memoryKeyStore } from '../packages/backend-wireguard/src/testing/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const JOINS = Number(process.env.JOINS ?? 3);
const PREFIX = '/coreos.com/network';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface FlannelNode {
  host: LabHost;
  netlink: Netlink;
  manager: EtcdSubnetManager;
  keyStore: ReturnType<typeof memoryKeyStore>;
  network?: Network;
  controller?: AbortController;
  done?: Promise<void>;
  pod: string;
}

async function addPod(host: LabHost, cidr: string): Promise<void> {
  await host.exec('ip', ['link', 'add', 'cni0', 'type', 'bridge'], { check: true });
  await host.exec('ip', ['addr', 'add', cidr, 'dev', 'cni0'], { check: true });
  await host.exec('ip', ['link', 'set', 'cni0', 'up'], { check: true });
}

async function pingOnce(host: LabHost, from: string, to: string): Promise<boolean> {
  return (await host.exec('ping', ['-n', '-q', '-c', '1', '-W', '1', '-I', from, to])).code === 0;
}

/** Pings every 20 ms until one reply; resolves the ms since `start`. */
async function firstPing(host: LabHost, from: string, to: string, start: number): Promise<number> {
  for (;;) {
    if ((await host.exec('ping', ['-n', '-q', '-c', '1', '-W', '0.2', '-I', from, to])).code === 0) return performance.now() - start;
    if (performance.now() - start > 30_000) throw new Error(`no ping ${from} → ${to} within 30 s`);
  }
}

async function iperf(client: LabHost, server: LabHost, from: string, to: string): Promise<number> {
  const listener: LabProcess = server.spawn('iperf3', ['-s', '-1', '--forceflush', '-B', to]);
  await listener.waitForOutput(/Server listening/, { timeoutMs: 10_000 });
  const { stdout } = await client.exec('iperf3', ['-c', to, '-B', from, '-t', String(SECONDS), '-J'], { check: true, timeoutMs: (SECONDS + 20) * 1000 });
  await listener.exited;
  const report = JSON.parse(stdout) as { end: { sum_received: { bits_per_second: number } } };
  return report.end.sum_received.bits_per_second / 1e6;
}

async function main(): Promise<void> {
  await using lab = await createLab({ hosts: 4, etcd: true });
  await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: '10.8.0.0/16', Backend: { Type: 'wireguard' } }));
  const [h1, h2, h3, h4] = lab.hosts as [LabHost, LabHost, LabHost, LabHost];

  // Pair A: flannel-ts.
  const flannel: FlannelNode[] = [];
  const start = async (node: FlannelNode): Promise<void> => {
    const backend = await createWireguardBackend({
      netlink: node.netlink,
      keyStore: node.keyStore,
      driver: createWireguardGoDriver({ netlink: node.netlink, mountNamespace: 'private', commandPrefix: ['ip', 'netns', 'exec', node.host.netns] }),
    })({ subnetManager: node.manager, externalInterface: { name: 'eth0', index: (await node.netlink.getLink('eth0')).index, mtu: 1500, address: node.host.address }, logger: silentLogger });
    const held = node.network?.lease.subnet;
    node.network = await backend.registerNetwork({ config: await node.manager.getNetworkConfig(), ...(held ? { previous: { subnet: held } } : {}) });
    node.controller = new AbortController();
    node.done = node.network.run(node.controller.signal);
  };
  for (const host of [h1, h2]) {
    const node: FlannelNode = { host, netlink: await createNetlink({ netns: { name: host.netns } }), manager: createEtcdSubnetManager({ endpoints: lab.etcd.endpoints, logger: silentLogger }), keyStore: memoryKeyStore(), pod: '' };
    await start(node);
    node.pod = node.network!.lease.subnet!.toString().replace(/\.0\/24$/, '.1');
    await addPod(host, `${node.pod}/24`);
    flannel.push(node);
  }
  const [a1, a2] = flannel as [FlannelNode, FlannelNode];
  await waitFor(() => pingOnce(h1, a1.pod, a2.pod), { timeoutMs: 20_000 });

  // Pair B: the same wireguard-go configured by hand.
  const hand = [
    { host: h3, subnet: '10.9.3.0/24', address: '10.9.3.0', pod: '10.9.3.1' },
    { host: h4, subnet: '10.9.4.0/24', address: '10.9.4.0', pod: '10.9.4.1' },
  ];
  const handKeys = await Promise.all(
    hand.map(async () => {
      const privateKey = (await execCommand('wg', ['genkey'], { check: true })).stdout.trim();
      const publicKey = (await execCommand('wg', ['pubkey'], { check: true, input: `${privateKey}\n` })).stdout.trim();
      return { privateKey, publicKey };
    }),
  );
  const handProcesses: LabProcess[] = [];
  for (const [index, side] of hand.entries()) {
    const wg = side.host.spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mkdir -p /var/run/wireguard && mount -t tmpfs tmpfs /var/run/wireguard && exec wireguard-go -f flannel-wg']);
    handProcesses.push(wg);
    const inside = (command: string, args: string[], input?: string) => execCommand('nsenter', ['-t', String(wg.pid), '-m', '-n', command, ...args], { check: true, ...(input === undefined ? {} : { input }) });
    await waitFor(async () => (await execCommand('nsenter', ['-t', String(wg.pid), '-m', '-n', 'wg', 'show', 'flannel-wg'])).code === 0, { timeoutMs: 10_000 });
    await inside('sh', ['-c', 'umask 077 && cat > /var/run/wireguard/key'], handKeys[index]!.privateKey);
    await inside('wg', ['set', 'flannel-wg', 'private-key', '/var/run/wireguard/key', 'listen-port', '51820']);
    await side.host.exec('ip', ['link', 'set', 'flannel-wg', 'mtu', '1420'], { check: true });
    await side.host.exec('ip', ['addr', 'add', `${side.address}/32`, 'dev', 'flannel-wg'], { check: true });
    await side.host.exec('ip', ['link', 'set', 'flannel-wg', 'up'], { check: true });
    await side.host.exec('ip', ['route', 'replace', '10.9.0.0/16', 'dev', 'flannel-wg', 'scope', 'link'], { check: true });
    await addPod(side.host, `${side.pod}/24`);
  }
  const configureHandPeers = async (): Promise<void> => {
    for (const [index, side] of hand.entries()) {
      const other = hand[1 - index]!;
      await execCommand('nsenter', ['-t', String(handProcesses[index]!.pid), '-m', '-n', 'wg', 'set', 'flannel-wg', 'peer', handKeys[1 - index]!.publicKey, 'endpoint', `${other.host.address}:51820`, 'persistent-keepalive', '0', 'allowed-ips', other.subnet], { check: true });
      void side;
    }
  };
  await configureHandPeers();
  await waitFor(() => pingOnce(h3, '10.9.3.1', '10.9.4.1'), { timeoutMs: 20_000 });

  // Throughput.
  const results = { flannel: [] as number[], hand: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (['flannel', 'hand'] as const) : (['hand', 'flannel'] as const);
    for (const side of order) {
      const mbps = side === 'flannel' ? await iperf(h1, h2, a1.pod, a2.pod) : await iperf(h3, h4, '10.9.3.1', '10.9.4.1');
      results[side].push(mbps);
      console.log(`round ${round + 1} ${side.padEnd(7)} ${mbps.toFixed(1)} Mbit/s`);
    }
  }
  const ratio = median(results.flannel) / median(results.hand);
  console.log(`iperf3 TCP ${SECONDS} s, medians of ${ROUNDS}: flannel-ts ${median(results.flannel).toFixed(1)} Mbit/s, wg by hand ${median(results.hand).toFixed(1)} Mbit/s, ratio ${ratio.toFixed(3)}x (target >= 0.95x)`);

  // New lease → working tunnel.
  const joins = { flannel: [] as number[], hand: [] as number[] };
  for (let join = 0; join < JOINS; join += 1) {
    // flannel-ts: h2 restarts (device deleted, lease kept); the clock starts when its lease is written.
    a2.controller!.abort();
    await a2.done;
    const restarted = performance.now();
    await start(a2);
    await a2.host.exec('ip', ['link', 'set', 'cni0', 'up']);
    joins.flannel.push(await firstPing(h2, a2.pod, a1.pod, restarted));
    // By hand: both peers removed, then `wg set` on both sides; the clock starts at the first `wg set`.
    for (const [index] of hand.entries()) {
      await execCommand('nsenter', ['-t', String(handProcesses[index]!.pid), '-m', '-n', 'wg', 'set', 'flannel-wg', 'peer', handKeys[1 - index]!.publicKey, 'remove'], { check: true });
    }
    const configured = performance.now();
    await configureHandPeers();
    joins.hand.push(await firstPing(h3, '10.9.3.1', '10.9.4.1', configured));
    console.log(`join ${join + 1}: flannel-ts (register + first ping) ${joins.flannel.at(-1)!.toFixed(0)} ms, wg by hand (wg set + first ping) ${joins.hand.at(-1)!.toFixed(0)} ms`);
  }
  console.log(`new lease → working tunnel, medians of ${JOINS}: flannel-ts ${median(joins.flannel).toFixed(0)} ms (device creation, wireguard-go start, lease, peers, handshake), wg by hand ${median(joins.hand).toFixed(0)} ms (peers, handshake)`);

  for (const node of flannel) {
    node.controller?.abort();
    await node.done;
    await node.manager.close();
    await node.netlink.close();
  }
  await Promise.all(handProcesses.map((each) => each.stop(2_000)));
}

await main();
