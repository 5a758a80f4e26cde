// Throughput of the udp backend's data path against references, measured in one run: iperf3 TCP between
// two testlab hosts through the overlay, for
//   - the C forwarder of flannel's proxy design (packages/backend-udp/src/__fixtures__/c-forwarder.c, -O2),
//     with the kernel's socket buffers as flannel (`c`) and with 4 MiB (`c-buffers`);
//   - flannel-ts udp — the real daemon with etcd — in flannel's design (`ts-flannel`: BatchSize 1, one poll
//     loop, kernel socket buffers), with 4 MiB buffers (`ts-plain`), batched (`ts-mmsg`: BatchSize 32,
//     recvmmsg/sendmmsg), batched with offloads (`ts-batch`: the daemon's defaults — TSO super-packets
//     from the TUN cut into segments in the forwarder and sent with UDP GSO, received with UDP GRO) and that
//     with a thread per direction (`ts-2threads`);
//   - wireguard-go (user-space TUN + crypto, MTU 1420);
//   - kernel vxlan (a point-to-point vxlan device, MTU 1450).
// Per path and round: TCP Mbit/s and retransmits (iperf3 -t DURATION) with the CPU (utime + stime) of the two
// forwarder processes per MB delivered; packets/s received at a fixed offered UDP load (iperf3 -u -b LOAD
// -l 1300) with their CPU per packet (n/a for the kernel). Rounds rotate the order of the paths.
//
// Run as root from the repository root:   pnpm exec tsx bench/udp-throughput.ts
//   ROUNDS=3  DURATION=5  LOAD=400M  PATHS=c,ts-flannel,c-buffers,ts-plain,ts-mmsg,ts-batch,ts-2threads,wireguard-go,vxlan
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLab, waitFor } from '@flannel-ts/testlab';
import type { Lab, LabHost, LabProcess } from '@flannel-ts/testlab';
import { buildCForwarder, startCForwarder } from '../packages/backend-udp/src/__fixtures__/c-forwarder.js';
import { sourceDaemonLaunch, startLabNode } from '../packages/cli/src/demo/lab-node.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.DURATION ?? 5);
const LOAD = process.env.LOAD ?? '400M';
const PATHS = (process.env.PATHS ?? 'c,ts-flannel,c-buffers,ts-plain,ts-mmsg,ts-batch,ts-2threads,wireguard-go,vxlan').split(',');
/** The socket buffer of the tuned paths (the daemon's default). */
const BUFFER = 4 * 1024 * 1024;
const PREFIX = '/coreos.com/network';
const NETWORK = '10.7.0.0/16';
const CLK_TCK = 100;

/** A path set up on both hosts: the overlay addresses to run iperf3 between and the processes doing the work. */
interface Running {
  readonly addresses: [string, string];
  readonly pids: number[];
  stop(): Promise<void>;
}

interface Sample {
  readonly path: string;
  readonly mbits: number;
  readonly retransmits: number;
  /** CPU of the forwarders per MB of TCP payload delivered. */
  readonly cpuMicrosPerMegabyte?: number;
  /** CPU of the forwarders per UDP datagram delivered at the fixed offered load. */
  readonly cpuMicrosPerPacket?: number;
  readonly udpPacketsPerSecond: number;
  readonly udpLossPercent: number;
}

const sh = async (host: LabHost, command: string, args: string[]): Promise<string> => (await host.exec(command, args, { check: true, timeoutMs: 60_000 })).stdout;

async function cpuTicks(host: LabHost, pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const stat = await sh(host, 'cat', [`/proc/${pid}/stat`]);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}

async function flannelTs(lab: Lab, options: { batchSize: number; threads: number; socketBufferBytes: number; offload: boolean }): Promise<Running> {
  const backend = { Type: 'udp', BatchSize: options.batchSize, Threads: options.threads, SocketBufferBytes: options.socketBufferBytes, Offload: options.offload };
  await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: NETWORK, Backend: backend }));
  const daemons: LabProcess[] = lab.hosts.map((host) =>
    startLabNode(host, { launch: sourceDaemonLaunch(), etcdEndpoints: lab.etcd.hostEndpoints, subnetFile: join(lab.tempDir, `${host.name}.env`) }),
  );
  await Promise.all(daemons.map((daemon) => daemon.waitForOutput(/flannel is ready/, { timeoutMs: 60_000 })));
  const addresses = (await Promise.all(lab.hosts.map(async (host) => (await sh(host, 'ip', ['-4', '-o', 'addr', 'show', 'flannel0'])).split(/\s+/)[3]!.split('/')[0]!))) as [string, string];
  // Wait until each forwarder routes to the other (the lease watch).
  await waitFor(async () => (await lab.hosts[0]!.exec('ping', ['-c', '1', '-W', '1', '-I', addresses[0], addresses[1]])).code === 0, { timeoutMs: 20_000 });
  await waitFor(async () => (await lab.hosts[1]!.exec('ping', ['-c', '1', '-W', '1', '-I', addresses[1], addresses[0]])).code === 0, { timeoutMs: 20_000 });
  return {
    addresses,
    pids: daemons.map((daemon) => daemon.pid!),
    async stop() {
      const exits = await Promise.all(daemons.map((daemon) => daemon.stop(10_000)));
      if (exits.some((exit) => exit.code !== 0)) throw new Error(`flannel-ts exited ${JSON.stringify(exits)}`);
    },
  };
}

async function cForwarder(lab: Lab, binary: string, socketBufferBytes: number): Promise<Running> {
  const subnets = ['10.7.201.0/24', '10.7.202.0/24'];
  const forwarders = await Promise.all(
    lab.hosts.map((host, index) => startCForwarder(host, { binary, subnet: subnets[index]!, network: NETWORK, mtu: 1472, socketBufferBytes })),
  );
  await forwarders[0]!.setRoute(subnets[1]!, lab.hosts[1]!.address);
  await forwarders[1]!.setRoute(subnets[0]!, lab.hosts[0]!.address);
  return {
    addresses: ['10.7.201.0', '10.7.202.0'],
    pids: forwarders.map((forwarder) => forwarder.process.pid!),
    stop: async () => void (await Promise.all(forwarders.map((forwarder) => forwarder.stop()))),
  };
}

async function wireguardGo(lab: Lab, directory: string): Promise<Running> {
  const keys = await Promise.all(
    lab.hosts.map(async (host, index) => {
      const privateKey = (await sh(host, 'wg', ['genkey'])).trim();
      const file = join(directory, `wg-${index}.key`);
      writeFileSync(file, `${privateKey}\n`, { mode: 0o600 });
      const publicKey = (await host.exec('sh', ['-c', `wg pubkey < ${file}`], { check: true })).stdout.trim();
      return { file, publicKey };
    }),
  );
  // wireguard-go's control socket is /var/run/wireguard/<name>.sock, shared by every namespace: unique names.
  const devices: [string, string] = [`${lab.runId}w1`, `${lab.runId}w2`];
  const processes = lab.hosts.map((host, index) => host.spawn('wireguard-go', ['-f', devices[index]!], { env: { LOG_LEVEL: 'error' } }));
  const addresses: [string, string] = ['10.10.0.1', '10.10.0.2'];
  for (const [index, host] of lab.hosts.entries()) {
    const device = devices[index]!;
    await waitFor(async () => (await host.exec('ip', ['link', 'show', device])).code === 0, { timeoutMs: 10_000 });
    const peer = 1 - index;
    await sh(host, 'wg', ['set', device, 'private-key', keys[index]!.file, 'listen-port', '51820', 'peer', keys[peer]!.publicKey, 'allowed-ips', `${addresses[peer]}/32`, 'endpoint', `${lab.hosts[peer]!.address}:51820`]);
    await sh(host, 'ip', ['addr', 'add', `${addresses[index]}/24`, 'dev', device]);
    await sh(host, 'ip', ['link', 'set', device, 'mtu', '1420', 'up']);
  }
  return {
    addresses,
    pids: processes.map((each) => each.pid!),
    async stop() {
      for (const [index, host] of lab.hosts.entries()) await host.exec('ip', ['link', 'del', devices[index]!]);
      await Promise.all(processes.map((each) => each.stop(5_000)));
    },
  };
}

async function kernelVxlan(lab: Lab): Promise<Running> {
  const addresses: [string, string] = ['10.11.0.1', '10.11.0.2'];
  for (const [index, host] of lab.hosts.entries()) {
    const peer = lab.hosts[1 - index]!;
    await sh(host, 'ip', ['link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'local', host.address, 'remote', peer.address, 'dstport', '8472', 'dev', 'eth0']);
    await sh(host, 'ip', ['addr', 'add', `${addresses[index]}/24`, 'dev', 'vx0']);
    await sh(host, 'ip', ['link', 'set', 'vx0', 'mtu', '1450', 'up']);
  }
  return {
    addresses,
    pids: [],
    async stop() {
      for (const host of lab.hosts) await sh(host, 'ip', ['link', 'del', 'vx0']);
    },
  };
}

/** The parts of iperf3's JSON report read here (TCP: sum_received/sum_sent; UDP: sum). */
interface IperfReport {
  readonly end: {
    readonly sum_received: { readonly bits_per_second: number };
    readonly sum_sent: { readonly retransmits?: number };
    readonly sum: { readonly packets: number; readonly lost_packets: number; readonly seconds: number; readonly lost_percent: number };
  };
}

async function iperf(lab: Lab, running: Running, args: string[]): Promise<IperfReport> {
  const [client, server] = lab.hosts as [LabHost, LabHost];
  const listener = server.spawn('iperf3', ['-s', '-1', '--forceflush', '-B', running.addresses[1]]);
  try {
    await listener.waitForOutput(/Server listening/);
    const { stdout } = await client.exec('iperf3', ['-c', running.addresses[1], '-B', running.addresses[0], '-J', ...args], { check: true, timeoutMs: (SECONDS + 30) * 1000 });
    return JSON.parse(stdout) as IperfReport;
  } finally {
    await listener.stop(3_000);
  }
}

async function measure(lab: Lab, path: string, running: Running): Promise<Sample> {
  const cpuSeconds = async (): Promise<number> => {
    const ticks = await Promise.all(lab.hosts.map((host, index) => cpuTicks(host, running.pids.slice(index, index + 1))));
    return ticks.reduce((sum, value) => sum + value, 0) / CLK_TCK;
  };
  // CPU is counted per MB of TCP payload delivered, not per datagram on the underlay: with UDP GSO/GRO a
  // device counts a message of ~40 datagrams as one packet, and the paths' MTUs differ.
  const tcpBefore = await cpuSeconds();
  const tcp = await iperf(lab, running, ['-t', String(SECONDS)]);
  const tcpCpu = (await cpuSeconds()) - tcpBefore;
  const tcpMegabytes = (tcp.end.sum_received.bits_per_second * SECONDS) / 8 / 1e6;
  // At a fixed offered load of 1,300-byte UDP datagrams every path moves one inner packet per datagram.
  const udpBefore = await cpuSeconds();
  const udp = await iperf(lab, running, ['-u', '-b', LOAD, '-l', '1300', '-t', '3']);
  const udpCpu = (await cpuSeconds()) - udpBefore;
  const udpSum = udp.end.sum;
  const delivered = udpSum.packets - udpSum.lost_packets;
  return {
    path,
    mbits: tcp.end.sum_received.bits_per_second / 1e6,
    retransmits: tcp.end.sum_sent.retransmits ?? 0,
    ...(running.pids.length > 0 && tcpMegabytes > 0 ? { cpuMicrosPerMegabyte: (tcpCpu * 1e6) / tcpMegabytes } : {}),
    ...(running.pids.length > 0 && delivered > 0 ? { cpuMicrosPerPacket: (udpCpu * 1e6) / delivered } : {}),
    udpPacketsPerSecond: delivered / udpSum.seconds,
    udpLossPercent: udpSum.lost_percent,
  };
}

const format = (value: number | undefined, digits: number): string => (value === undefined ? 'n/a' : value.toFixed(digits)).padStart(6);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const directory = mkdtempSync(join(tmpdir(), 'flannel-ts-bench-udp-'));
const lab = await createLab({ hosts: 2, etcd: true });
try {
  const binary = await buildCForwarder(directory);
  const starters: Record<string, () => Promise<Running>> = {
    'ts-flannel': () => flannelTs(lab, { batchSize: 1, threads: 1, socketBufferBytes: 0, offload: false }),
    'ts-plain': () => flannelTs(lab, { batchSize: 1, threads: 1, socketBufferBytes: BUFFER, offload: false }),
    'ts-mmsg': () => flannelTs(lab, { batchSize: 32, threads: 1, socketBufferBytes: BUFFER, offload: false }),
    'ts-batch': () => flannelTs(lab, { batchSize: 32, threads: 1, socketBufferBytes: BUFFER, offload: true }),
    'ts-2threads': () => flannelTs(lab, { batchSize: 32, threads: 2, socketBufferBytes: BUFFER, offload: true }),
    c: () => cForwarder(lab, binary, 0),
    'c-buffers': () => cForwarder(lab, binary, BUFFER),
    'wireguard-go': () => wireguardGo(lab, directory),
    vxlan: () => kernelVxlan(lab),
  };
  const samples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = PATHS.map((_, index) => PATHS[(index + round) % PATHS.length]!);
    for (const path of order) {
      const running = await starters[path]!();
      try {
        await delay(300);
        const sample = await measure(lab, path, running);
        samples.push(sample);
        console.log(
          `round ${round + 1} ${path.padEnd(13)} TCP ${sample.mbits.toFixed(0).padStart(6)} Mbit/s  retr ${String(sample.retransmits).padStart(6)}  ` +
            `CPU ${format(sample.cpuMicrosPerMegabyte, 0)} µs/MB  ` +
            `UDP ${LOAD} → ${sample.udpPacketsPerSecond.toFixed(0).padStart(7)} pkt/s (${sample.udpLossPercent.toFixed(1)} % lost, CPU ${format(sample.cpuMicrosPerPacket, 2)} µs/pkt)`,
        );
      } finally {
        await running.stop();
      }
    }
  }
  const reference = median(samples.filter((sample) => sample.path === 'c').map((sample) => sample.mbits));
  console.log(`\nmedians over ${ROUNDS} rounds (TCP ratio vs the C forwarder of flannel's design):`);
  for (const path of PATHS) {
    const mine = samples.filter((sample) => sample.path === path);
    const mbits = median(mine.map((sample) => sample.mbits));
    const perMegabyte = mine.filter((sample) => sample.cpuMicrosPerMegabyte !== undefined).map((sample) => sample.cpuMicrosPerMegabyte!);
    const perPacket = mine.filter((sample) => sample.cpuMicrosPerPacket !== undefined).map((sample) => sample.cpuMicrosPerPacket!);
    console.log(
      `  ${path.padEnd(13)} TCP ${mbits.toFixed(0).padStart(6)} Mbit/s  ${(mbits / reference).toFixed(2)}×   retr ${median(mine.map((sample) => sample.retransmits)).toFixed(0).padStart(6)}   ` +
        `CPU ${format(perMegabyte.length ? median(perMegabyte) : undefined, 0)} µs/MB   ` +
        `UDP ${median(mine.map((sample) => sample.udpPacketsPerSecond)).toFixed(0)} pkt/s (${median(mine.map((sample) => sample.udpLossPercent)).toFixed(1)} % lost, CPU ${format(perPacket.length ? median(perPacket) : undefined, 2)} µs/pkt)`,
    );
  }
} finally {
  await lab.close();
  rmSync(directory, { recursive: true, force: true });
}
