// Helpers of the end-to-end tests: a testlab cluster running the real flannel-ts daemon (from sources
// through tsx, so no build is needed), and readers of the kernel and etcd state in flannel's terms.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addPodBridge, createLab, waitFor } from '@flannel-ts/testlab';
import type { Lab, LabHost, LabOptions, LabProcess } from '@flannel-ts/testlab';
import { sourceDaemonLaunch, startLabNode } from '../src/demo/lab-node.js';

export { addPodBridge };

export const PREFIX = '/coreos.com/network';

/** A daemon on a host, with its subnet.env. */
export interface ClusterNode {
  readonly host: LabHost;
  process: LabProcess;
  readonly subnetFile: string;
}

/** A lab with flannel-ts on every host. */
export interface Cluster {
  readonly lab: Lab;
  readonly nodes: ClusterNode[];
  /** Starts (or restarts) the daemon of `node` with the cluster's flags. */
  start(node: ClusterNode): LabProcess;
  close(): Promise<void>;
}

const launch = sourceDaemonLaunch();

/** Starts flannel-ts on `host` (tsx over the sources). */
export function startDaemon(lab: Lab, host: LabHost, subnetFile: string, args: readonly string[] = [], env?: Record<string, string>): LabProcess {
  return startLabNode(host, { launch, etcdEndpoints: lab.etcd.hostEndpoints, subnetFile, args, ...(env ? { env } : {}) });
}

/** Waits for "flannel is ready" (generous: tsx compiles the sources on a loaded machine). */
export async function waitReady(daemon: LabProcess): Promise<void> {
  await daemon.waitForOutput(/flannel is ready/, { timeoutMs: 60_000 });
}

/**
 * Creates a lab, writes `config` to etcd, starts flannel-ts on every host and waits until each is ready.
 */
export async function startCluster(options: { hosts: number; config: object; args?: readonly string[]; lab?: LabOptions }): Promise<Cluster> {
  const lab = await createLab({ hosts: options.hosts, etcd: true, ...options.lab });
  try {
    await lab.etcd.put(`${PREFIX}/config`, JSON.stringify(options.config));
    const nodes: ClusterNode[] = [];
    const start = (node: ClusterNode): LabProcess => {
      node.process = startDaemon(lab, node.host, node.subnetFile, options.args);
      return node.process;
    };
    for (const host of lab.hosts) {
      const node = { host, subnetFile: join(lab.tempDir, `${host.name}-subnet.env`) } as ClusterNode;
      start(node);
      nodes.push(node);
    }
    await Promise.all(nodes.map((node) => waitReady(node.process)));
    return { lab, nodes, start, close: () => lab.close() };
  } catch (error) {
    await lab.close();
    throw error;
  }
}

/** Key → value of every lease in etcd. */
export async function etcdLeases(lab: Lab, prefix = PREFIX): Promise<Map<string, string>> {
  const { stdout } = await lab.etcd.etcdctl(['get', '--prefix', `${prefix}/subnets/`], { check: true });
  const lines = stdout.split('\n').filter((line) => line !== '');
  const leases = new Map<string, string>();
  for (let index = 0; index + 1 < lines.length; index += 2) leases.set(lines[index]!, lines[index + 1]!);
  return leases;
}

/** subnet.env as key → value. */
export async function readEnv(path: string): Promise<Map<string, string>> {
  const text = await readFile(path, 'utf8');
  return new Map(text.trimEnd().split('\n').map((line) => line.split('=', 2) as [string, string]));
}

/** `ip … -j` (or `bridge -j …`) parsed. */
export async function json<T>(host: LabHost, command: string, args: readonly string[]): Promise<T> {
  const { stdout } = await host.exec(command, ['-j', ...args], { check: true });
  return (stdout.trim() === '' ? [] : JSON.parse(stdout)) as T;
}

interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  flags?: string[];
  type?: string;
}

/** Routes of the main table as `dst via gw dev d [onlink]` lines, sorted (whole-table when `dev` absent). */
export async function routeLines(host: LabHost, family: 4 | 6, dev?: string): Promise<string[]> {
  const routes = await json<IpRoute[]>(host, 'ip', [`-${family}`, 'route', 'show', ...(dev ? ['dev', dev] : [])]);
  return routes
    .map((route) => `${route.type && route.type !== 'unicast' ? `${route.type} ` : ''}${route.dst}${route.gateway ? ` via ${route.gateway}` : ''} dev ${route.dev ?? dev ?? '?'}${route.flags?.includes('onlink') ? ' onlink' : ''}`)
    .sort();
}

/** Neighbours on `dev` as `ip lladdr mac STATE` lines, sorted. */
export async function neighbourLines(host: LabHost, family: 4 | 6, dev: string): Promise<string[]> {
  const entries = await json<{ dst: string; lladdr?: string; state?: string[] }[]>(host, 'ip', [`-${family}`, 'neigh', 'show', 'dev', dev]);
  return entries.map((entry) => `${entry.dst} lladdr ${entry.lladdr ?? '-'} ${(entry.state ?? []).join(',')}`).sort();
}

/** FDB entries of `dev` as `mac dst ip flags state` lines, sorted. */
export async function fdbLines(host: LabHost, dev: string): Promise<string[]> {
  const entries = await json<{ mac: string; dst?: string; flags?: string[]; state?: string }[]>(host, 'bridge', ['fdb', 'show', 'dev', dev]);
  return entries.map((entry) => `${entry.mac} dst ${entry.dst ?? '-'} ${(entry.flags ?? []).join(',')} ${entry.state ?? ''}`.trimEnd()).sort();
}

/** `ip -d -j link show <name>`, or undefined when it does not exist. */
export async function linkDetails(host: LabHost, name: string): Promise<LinkDetails | undefined> {
  const result = await host.exec('ip', ['-d', '-j', 'link', 'show', name]);
  if (result.code !== 0) return undefined;
  return (JSON.parse(result.stdout) as LinkDetails[])[0];
}

/** The parts of `ip -d -j link` the tests look at. */
export interface LinkDetails {
  ifname: string;
  ifindex: number;
  mtu: number;
  address: string;
  operstate: string;
  flags: string[];
  linkinfo?: { info_kind: string; info_data?: Record<string, unknown> };
}

/** Each node's IPv4 pod subnet and first pod address, read from its subnet.env. */
export interface PodSubnets {
  /** `10.6.3.0/24` per node, in node order. */
  readonly subnets: string[];
  /** `10.6.3.1` per node, in node order. */
  readonly pods: string[];
}

/**
 * Adds the pod bridge on every node of `cluster` (its `FLANNEL_SUBNET`'s first address, as the CNI bridge
 * plugin would for a first pod) and returns the nodes' subnets and pod addresses.
 */
export async function addPodBridges(cluster: Cluster): Promise<PodSubnets> {
  const subnets: string[] = [];
  const pods: string[] = [];
  for (const node of cluster.nodes) {
    const podCidr = (await readEnv(node.subnetFile)).get('FLANNEL_SUBNET')!;
    pods.push(podCidr.split('/')[0]!);
    subnets.push(podCidr.replace(/\.1\//, '.0/'));
    await addPodBridge(node.host, [podCidr]);
  }
  return { subnets, pods };
}

/** Pings `to` from `host` with source `from`; true when every echo came back. */
export async function pingFrom(host: LabHost, from: string, to: string, count = 2): Promise<boolean> {
  const result = await host.exec('ping', ['-n', '-q', '-c', String(count), '-i', '0.2', '-w', '5', '-I', from, to], { timeoutMs: 10_000 });
  return result.code === 0 && new RegExp(`${count} packets transmitted, ${count} received`).test(result.stdout);
}

/**
 * Pings every other node's pod address from every node's (each pair in both directions), waiting up to
 * `waitMs` for each pair's first echo (routes follow the lease watch), and returns the pairs that failed
 * as `h1→h2`.
 */
export async function failedPairs(nodes: readonly { readonly host: LabHost; readonly pod: string }[], waitMs = 0): Promise<string[]> {
  const failed: string[] = [];
  for (const from of nodes) {
    for (const to of nodes) {
      if (from === to) continue;
      if (waitMs > 0) await waitFor(() => pingFrom(from.host, from.pod, to.pod, 1), { timeoutMs: waitMs }).catch(() => undefined);
      if (!(await pingFrom(from.host, from.pod, to.pod))) failed.push(`${from.host.name}→${to.host.name}`);
    }
  }
  return failed;
}

/** `node -e UDP_LISTENER(address)`: prints each datagram received on <address>:8285 as hex, one line each (`datagram <from> <port> <hex>`), after "listening". */
export const UDP_LISTENER = (address: string): string =>
  `const s = require('dgram').createSocket('udp4'); s.on('message', (m, r) => console.log('datagram', r.address, r.port, m.toString('hex'))); s.bind(8285, '${address}', () => console.log('listening'));`;

/** Waits until `read()` equals `expected` (deep, as JSON), returning the last value seen on timeout too. */
export async function converge<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000): Promise<T> {
  let last: T | undefined;
  try {
    await waitFor(async () => {
      last = await read();
      return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
    }, { timeoutMs, intervalMs: 100 });
  } catch {
    // fall through: the caller's expect shows the difference
  }
  return last as T;
}

/** `10.5.34.0/24` → `10.5.34.0-24` (flannel's etcd key form). */
export const subnetKey = (subnet: string): string => subnet.replace('/', '-');

/**
 * The routes node `index` should hold to every other node's pod subnet via that node's underlay address on
 * eth0 (host-gw, or vxlan's DirectRouting), as `ip route` prints them, sorted.
 */
export function underlayRoutesFrom(cluster: Cluster, subnets: readonly string[], index: number): string[] {
  return cluster.nodes
    .map((other, at) => ({ other, at }))
    .filter(({ at }) => at !== index)
    .map(({ other, at }) => `${subnets[at]} via ${other.host.address} dev eth0`)
    .sort();
}

/** What {@link transferChecked} saw: bytes and SHA-256 on each side. */
export interface CheckedTransfer {
  readonly sent: { readonly bytes: number; readonly sha256: string };
  readonly received: { readonly bytes: number; readonly sha256: string };
}

/**
 * Sends `bytes` random bytes over one TCP connection from `fromAddress` on `from` to `toAddress` on `to`
 * (node on both ends) and returns what each side counted and hashed: a payload corrupted anywhere on the
 * way (a segment cut or joined wrongly, a checksum left for the kernel that it then trusts) shows as
 * different hashes, which a throughput test cannot see.
 */
export async function transferChecked(from: LabHost, fromAddress: string, to: LabHost, toAddress: string, bytes: number, port = 5301): Promise<CheckedTransfer> {
  const server = to.spawn('node', [
    '-e',
    `const net = require('net'), crypto = require('crypto'); const hash = crypto.createHash('sha256'); let n = 0;
     const server = net.createServer((c) => { c.on('data', (d) => { hash.update(d); n += d.length; }); c.on('end', () => { console.log('received', n, hash.digest('hex')); server.close(); }); });
     server.listen(${port}, ${JSON.stringify(toAddress)}, () => console.log('listening'));`,
  ]);
  try {
    await server.waitForOutput(/listening/, { timeoutMs: 20_000 });
    const client = await from.exec(
      'node',
      [
        '-e',
        `const net = require('net'), crypto = require('crypto'); const hash = crypto.createHash('sha256'); let left = ${bytes};
         const c = net.connect({ host: ${JSON.stringify(toAddress)}, port: ${port}, localAddress: ${JSON.stringify(fromAddress)} }, () => {
           const step = () => { while (left > 0) { const b = crypto.randomBytes(Math.min(65536, left)); left -= b.length; hash.update(b); if (!c.write(b)) return c.once('drain', step); }
             c.end(() => console.log('sent', ${bytes}, hash.digest('hex'))); };
           step(); });`,
      ],
      { check: true, timeoutMs: 60_000 },
    );
    const received = await server.waitForOutput(/received (\d+) ([0-9a-f]{64})/, { timeoutMs: 30_000 });
    const sent = /sent (\d+) ([0-9a-f]{64})/.exec(client.stdout);
    return {
      sent: { bytes: Number(sent?.[1] ?? -1), sha256: sent?.[2] ?? '' },
      received: { bytes: Number(received[1]), sha256: received[2]! },
    };
  } finally {
    await server.stop();
  }
}
