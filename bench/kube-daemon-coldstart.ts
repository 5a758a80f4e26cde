// Cold start of `flannel-ts --kube-subnet-mgr` against an API server holding N realistic Nodes (~10 KB of
// JSON each, `kube-realistic-node.ts`) annotated by flanneld: the time from starting the process until every
// route, neighbour and FDB entry for those N nodes is in the kernel, against iproute2's batch mode (`ip -batch`
// + `bridge -batch`) programming the same 3×N entries in the same run, plus the daemon's peak RSS. Then how
// long a new node's entries take to reach a running daemon after its annotation patch.
// bench/daemon-coldstart.ts is the etcd version; this one has its structure.
//
// Run as root from the repository root:
//   pnpm exec tsx bench/kube-daemon-coldstart.ts [N=5000]        (ROUNDS=3, JOINS=5, RESTARTS=3; LAUNCH=source runs the daemon via tsx;
//                                                                 DAEMON_NODE_OPTIONS sets NODE_OPTIONS for the daemon only)
//
// The API server is the stand-in (`@flannel-ts/kube-client/testing`) in this process, reached by the lab host
// through the underlay forwarder (`packages/cli/src/demo/lab-kube-api.ts`). With LIST=cached (the default) a
// front server answers the node list with the stand-in's list serialised once before each round (as an API
// server's watch cache answers `resourceVersion=0`, on its own CPUs) and relays everything else; LIST=standin
// lets the stand-in clone and serialise the 5,000 Nodes (~40 MiB) per request on the same two CPUs as the daemon.
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLab, type Lab, type LabHost, type LabProcess } from '@flannel-ts/testlab';
import { builtDaemonLaunch, cliPackageDirectory, sourceDaemonLaunch, startLabNode } from '../packages/cli/src/demo/lab-node.js';
import { startLabKubeApi, type LabKubeApi, type LabKubeApiFront } from '../packages/cli/src/demo/lab-kube-api.js';
import type { FakeKubeApiServer } from '@flannel-ts/kube-client/testing';
import { realisticNode } from './kube-realistic-node.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const JOINS = Number(process.env.JOINS ?? 5);
const RESTARTS = Number(process.env.RESTARTS ?? 3);
const A = 'flannel.alpha.coreos.com/';
const CACHED = (process.env.LIST ?? 'cached') === 'cached';
// JOIN_IN_CHECK=1: each patch waits (at most 12 s) until the join daemon is busy — 20 ms of CPU within 40 ms, which
// on an otherwise idle daemon is its periodic full check — so that the joins land in checks.
const JOIN_IN_CHECK = process.env.JOIN_IN_CHECK === '1';
const built = existsSync(join(cliPackageDirectory(), 'dist', 'main.js')) && process.env.LAUNCH !== 'source';
const launch = built ? builtDaemonLaunch() : sourceDaemonLaunch();

const hex = (value: number): string => value.toString(16).padStart(2, '0');
const remotes = Array.from({ length: N }, (_, i) => {
  const a = (i >> 8) & 255;
  const b = i & 255;
  return { subnetIp: `10.${a}.${b}.0`, mac: `0e:2a:00:00:${hex(a)}:${hex(b)}`, publicIp: `172.16.${a}.${b}` };
});

/** Loads the N realistic Nodes into the stand-in (metadata, spec and status as `realisticNode` builds them). */
function populate(api: LabKubeApi): number {
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    const node = realisticNode(i) as { metadata: Record<string, unknown> & { name: string; labels: Record<string, string>; annotations: Record<string, string> }; spec: Record<string, unknown> & { podCIDR: string }; status: Record<string, unknown> };
    api.server.createNode({ name: node.metadata.name, podCIDR: node.spec.podCIDR, labels: node.metadata.labels, annotations: node.metadata.annotations, status: node.status as never });
    api.server.updateNode(node.metadata.name, (object) => {
      const metadata = object['metadata'] as Record<string, unknown>;
      metadata['managedFields'] = node.metadata['managedFields'] as never;
      (object['spec'] as Record<string, unknown>)['providerID'] = node.spec['providerID'] as never;
    });
  }
  return performance.now() - started;
}

/** The node list served from a body serialised by {@link CachedList.refresh}; every other request relayed. */
interface CachedList {
  start(server: FakeKubeApiServer, host: string): Promise<LabKubeApiFront>;
  refresh(): Promise<void>;
}

function cachedList(): CachedList {
  let body = '';
  let upstream = { host: '', port: 0 };
  return {
    async start(server, host) {
      upstream = { host, port: server.port };
      const front = createServer((request, response) => {
        if (request.method === 'GET' && request.url?.startsWith('/api/v1/nodes?') && !/[?&](watch|continue)=/.test(request.url)) {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          for (let offset = 0; offset < body.length; offset += 65_536) response.write(body.slice(offset, offset + 65_536));
          response.end();
          return;
        }
        const relayed = httpRequest({ ...upstream, method: request.method, path: request.url, headers: request.headers }, (reply) => {
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(response);
        });
        relayed.on('error', () => response.destroy());
        request.pipe(relayed);
      });
      await new Promise<void>((resolve) => front.listen(0, host, resolve));
      return {
        port: (front.address() as { port: number }).port,
        close: () => new Promise<void>((resolve) => front.close(() => resolve())),
      };
    },
    async refresh() {
      // Unpaginated, as an API server answers `resourceVersion=0` from its cache whatever the `limit`.
      body = await (await fetch(`http://${upstream.host}:${upstream.port}/api/v1/nodes?resourceVersion=0`)).text();
    },
  };
}

const lines = (text: string): number => text.split('\n').filter((line) => line.trim() !== '').length;

function counts(host: LabHost): { neigh: number; fdb: number; routes: number } {
  const run = (file: string, args: string[]): string => {
    try {
      return execFileSync(file, ['-n', host.netns, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return ''; // flannel.1 not there yet
    }
  };
  return {
    neigh: lines(run('ip', ['neigh', 'show', 'dev', 'flannel.1', 'nud', 'permanent'])),
    fdb: lines(run('bridge', ['fdb', 'show', 'dev', 'flannel.1'])),
    routes: lines(run('ip', ['route', 'show', 'dev', 'flannel.1'])),
  };
}

const peakRssMb = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** User + system CPU of a live process (`/proc/<pid>/stat` fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resolves true once `pid` has used 20 ms of CPU within 40 ms of wall time, false after 12 s without. */
async function untilBusy(pid: number): Promise<boolean> {
  const samples: Array<readonly [number, number]> = [];
  for (const deadline = performance.now() + 12_000; performance.now() < deadline; await delay(2)) {
    const now = performance.now();
    samples.push([now, cpuMs(pid)]);
    while (now - samples[0]![0] > 40) samples.shift();
    if (samples.at(-1)![1] - samples[0]![1] >= 20) return true;
  }
  return false;
}

function deleteFlannelDevice(host: LabHost): void {
  try {
    execFileSync('ip', ['-n', host.netns, 'link', 'del', 'flannel.1'], { stdio: 'ignore' });
  } catch {
    // not there
  }
}

/**
 * Resolves when `ip monitor` / `bridge monitor` have shown N routes, neighbours and FDB entries on flannel.1.
 * A monitor whose netlink socket overflows (`ENOBUFS`: 15,000 events in ~1 s on a busy machine) misses events
 * for good; the kernel is then polled every 50 ms instead, and `overflowed` tells the round's time is from polling.
 */
function watchEntries(host: LabHost): { done: Promise<number>; stop: () => Promise<void>; describe: () => string; readonly overflowed: boolean } {
  const seen = { route: new Set<string>(), neigh: new Set<string>(), fdb: new Set<string>() };
  let resolve!: (at: number) => void;
  const done = new Promise<number>((settle) => (resolve = settle));
  const count = (kind: keyof typeof seen, pattern: RegExp, text: string): void => {
    const at = performance.now();
    for (const match of text.matchAll(pattern)) seen[kind].add(match[1]!);
    if (seen.route.size >= N && seen.neigh.size >= N && seen.fdb.size >= N) resolve(at);
  };
  const ip = host.spawn('ip', ['-rcvbuf', String(32 << 20), 'monitor', 'route', 'neigh']);
  const bridge = host.spawn('bridge', ['monitor', 'fdb']);
  let poll: NodeJS.Timeout | undefined;
  const overflow = (chunk: Buffer | string): void => {
    if (poll !== undefined || !String(chunk).includes('No buffer space')) return;
    poll = setInterval(() => {
      const now = counts(host);
      if (now.routes >= N && now.neigh >= N && now.fdb >= N) resolve(performance.now());
    }, 50);
  };
  ip.child.stderr?.on('data', overflow);
  bridge.child.stderr?.on('data', overflow);
  void done.then(() => clearInterval(poll));
  const buffered = { ip: '', bridge: '' };
  const whole = (key: 'ip' | 'bridge', handle: (text: string) => void) => (chunk: Buffer | string) => {
    const text = buffered[key] + String(chunk);
    const cut = text.lastIndexOf('\n') + 1;
    buffered[key] = text.slice(cut);
    handle(text.slice(0, cut));
  };
  ip.child.stdout?.on('data', whole('ip', (text) => {
    count('route', /^(10\.\d+\.\d+\.0\/24) via \S+ dev flannel\.1/gm, text);
    count('neigh', /^(10\.\d+\.\d+\.0) dev flannel\.1 lladdr \S+ PERMANENT/gm, text);
  }));
  bridge.child.stdout?.on('data', whole('bridge', (text) => count('fdb', /^(\S+) dev flannel\.1 dst \S+ self permanent/gm, text)));
  return {
    done,
    get overflowed() {
      return poll !== undefined;
    },
    stop: async () => {
      clearInterval(poll);
      await Promise.all([ip.stop(1_000), bridge.stop(1_000)]);
    },
    // For a round that does not converge: what the monitors saw (a monitor socket that overflowed misses events).
    describe: () =>
      `monitors saw ${seen.route.size} routes, ${seen.neigh.size} neighbours, ${seen.fdb.size} FDB entries` +
      `${ip.stderr.trim() === '' ? '' : `; ip monitor: ${ip.stderr.trim().slice(-300)}`}${bridge.stderr.trim() === '' ? '' : `; bridge monitor: ${bridge.stderr.trim().slice(-300)}`}`,
  };
}

interface Settings { api: LabKubeApi; netConf: string; subnetFile: string; list: CachedList | undefined }

const startDaemon = (lab: Lab, host: LabHost, settings: Settings): LabProcess =>
  startLabNode(host, {
    launch,
    etcdEndpoints: lab.etcd.hostEndpoints,
    subnetFile: settings.subnetFile,
    args: ['--kube-subnet-mgr', `--kube-api-url=${settings.api.hostUrl}`, `--net-config-path=${settings.netConf}`],
    env: {
      ...(process.env as Record<string, string>),
      ...(process.env.DAEMON_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.DAEMON_NODE_OPTIONS }),
      NODE_NAME: host.name,
    },
  });

interface DaemonRound { totalMs: number; rssMb: number; cpuMs: number; polled: boolean }

async function runDaemonRound(lab: Lab, host: LabHost, settings: Settings): Promise<DaemonRound> {
  deleteFlannelDevice(host);
  await settings.list?.refresh();
  const watcher = watchEntries(host);
  await delay(200); // let the monitors subscribe
  const started = performance.now();
  const daemon = startDaemon(lab, host, settings);
  try {
    const exited = daemon.exited.then(() => {
      throw new Error(`daemon exited: ${daemon.stderr.slice(-2000)}`);
    });
    const giveUp = new AbortController();
    const timeoutMs = Number(process.env.ROUND_TIMEOUT_MS ?? 180_000);
    const timeout = delay(timeoutMs, undefined, { signal: giveUp.signal }).then(() => {
      const log = (daemon.stdout + daemon.stderr).trim().split('\n').slice(-15).join('\n');
      throw new Error(`not converged after ${timeoutMs / 1000} s: kernel holds ${JSON.stringify(counts(host))}; ${watcher.describe()}; daemon log tail:\n${log}`);
    });
    timeout.catch(() => undefined);
    exited.catch(() => undefined);
    const finished = await Promise.race([watcher.done, exited, timeout]).finally(() => giveUp.abort());
    const result = { totalMs: finished - started, rssMb: peakRssMb(daemon.pid!), cpuMs: cpuMs(daemon.pid!), polled: watcher.overflowed };
    const now = counts(host);
    if (now.neigh !== N || now.fdb !== N || now.routes !== N) throw new Error(`kernel holds ${JSON.stringify(now)}`);
    return result;
  } finally {
    await daemon.stop(5_000);
    if (process.env.DAEMON_STDERR) writeFileSync(process.env.DAEMON_STDERR, daemon.stdout + daemon.stderr);
    await watcher.stop();
  }
}

function runIproute2Round(host: LabHost, scratch: string): number {
  const ns = host.netns;
  deleteFlannelDevice(host);
  execFileSync('ip', ['-n', ns, 'link', 'add', 'flannel.1', 'type', 'vxlan', 'id', '1', 'local', host.address, 'dev', 'eth0', 'dstport', '8472', 'nolearning']);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'flannel.1', 'up']);
  const files = { neigh: join(scratch, 'neigh.batch'), fdb: join(scratch, 'fdb.batch'), route: join(scratch, 'route.batch') };
  writeFileSync(files.neigh, remotes.map((r) => `neigh replace ${r.subnetIp} dev flannel.1 lladdr ${r.mac} nud permanent\n`).join(''));
  writeFileSync(files.fdb, remotes.map((r) => `fdb replace ${r.mac} dev flannel.1 self dst ${r.publicIp} permanent\n`).join(''));
  writeFileSync(files.route, remotes.map((r) => `route replace ${r.subnetIp}/24 via ${r.subnetIp} dev flannel.1 onlink\n`).join(''));
  const started = performance.now();
  execFileSync('ip', ['-n', ns, '-batch', files.neigh]);
  execFileSync('bridge', ['-n', ns, '-batch', files.fdb]);
  execFileSync('ip', ['-n', ns, '-batch', files.route]);
  const totalMs = performance.now() - started;
  const now = counts(host);
  if (now.neigh !== N || now.fdb !== N || now.routes !== N) throw new Error(`iproute2 programmed ${JSON.stringify(now)}`);
  return totalMs;
}

/**
 * A daemon restarted on a node whose kernel holds the N peers' entries (a DaemonSet rollout): from exec until
 * it has listed the Nodes and its first full pass (three dumps of N entries each and a diff, nothing to write)
 * is over — its CPU time stops growing — with its peak RSS.
 */
async function runRestart(lab: Lab, host: LabHost, settings: Settings): Promise<DaemonRound> {
  await settings.list?.refresh();
  const started = performance.now();
  const daemon = startDaemon(lab, host, settings);
  try {
    await daemon.waitForOutput(/Node controller sync successful/, { timeoutMs: 120_000 });
    let cpu = cpuMs(daemon.pid!);
    for (;;) {
      await delay(250);
      const next = cpuMs(daemon.pid!);
      if (next === cpu) break;
      cpu = next;
    }
    const result = { totalMs: performance.now() - started, rssMb: peakRssMb(daemon.pid!), cpuMs: cpu, polled: false };
    const now = counts(host);
    if (now.neigh !== N || now.fdb !== N || now.routes !== N) throw new Error(`after the restart the kernel holds ${JSON.stringify(now)}`);
    return result;
  } finally {
    await daemon.stop(5_000);
    if (process.env.DAEMON_STDERR) writeFileSync(`${process.env.DAEMON_STDERR}.restart`, daemon.stdout + daemon.stderr);
  }
}

/**
 * A new Node (podCIDR already assigned) gets flanneld's annotations in one patch; resolves with the time from
 * that patch until its route is on `host`, then deletes it.
 */
async function measureJoin(api: LabKubeApi, host: LabHost, index: number, daemonPid?: number): Promise<number> {
  const name = `joiner-${index}`;
  const subnet = `10.250.${index}.0/24`;
  api.server.createNode({ name, podCIDR: subnet });
  const monitor = host.spawn('ip', ['monitor', 'route']);
  await delay(300);
  let appeared: number | undefined;
  monitor.child.stdout?.on('data', (chunk: Buffer | string) => {
    if (appeared === undefined && String(chunk).includes(`${subnet} via `)) appeared = performance.now();
  });
  try {
    if (JOIN_IN_CHECK && daemonPid !== undefined && !(await untilBusy(daemonPid))) console.log(`(join ${index} was not timed in a check: no busy daemon within 12 s)`);
    const patched = performance.now();
    api.server.updateNode(name, (node) => {
      const metadata = node['metadata'] as Record<string, Record<string, string>>;
      metadata['annotations'] = {
        ...metadata['annotations'],
        [`${A}backend-data`]: `{"VNI":1,"VtepMAC":"0e:2a:00:fa:00:${hex(index)}"}`,
        [`${A}backend-type`]: 'vxlan',
        [`${A}kube-subnet-manager`]: 'true',
        [`${A}public-ip`]: `172.31.250.${index}`,
      };
    });
    const deadline = performance.now() + 10_000;
    while (appeared === undefined && performance.now() < deadline) await delay(2);
    if (appeared === undefined) throw new Error(`${subnet} never appeared on ${host.name}`);
    return appeared - patched;
  } finally {
    api.server.deleteNode(name);
    await monitor.stop(1_000);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const scratch = mkdtempSync(join(tmpdir(), 'kube-coldstart-'));
// etcd only for the root link the stand-in listens on.
const lab = await createLab({ hosts: 2, etcd: true });
let api: LabKubeApi | undefined;
try {
  const [h1, h2] = lab.hosts as [LabHost, LabHost];
  const list = CACHED ? cachedList() : undefined;
  api = await startLabKubeApi(lab, list === undefined ? {} : { front: (server, host) => list.start(server, host) });
  const netConf = join(scratch, 'net-conf.json');
  writeFileSync(netConf, JSON.stringify({ Network: '10.0.0.0/8', Backend: { Type: 'vxlan' } }));
  api.server.createNode({ name: h1.name, podCIDR: '10.251.0.0/24' });
  const populateMs = populate(api);
  console.log(`stand-in: ${N} realistic Nodes loaded in ${populateMs.toFixed(0)} ms; node list ${CACHED ? 'serialised once per round (LIST=cached)' : 'serialised by the stand-in per request (LIST=standin)'}; daemon: ${built ? 'built bin (dist)' : 'sources via tsx'}`);
  const settings: Settings = { api, netConf, subnetFile: join(scratch, 'h1-subnet.env'), list };

  const ours: DaemonRound[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let mine: DaemonRound;
    let iproute: number;
    if (round % 2 === 0) {
      mine = await runDaemonRound(lab, h1, settings);
      iproute = runIproute2Round(h2, scratch);
    } else {
      iproute = runIproute2Round(h2, scratch);
      mine = await runDaemonRound(lab, h1, settings);
    }
    ours.push(mine);
    theirs.push(iproute);
    console.log(`round ${round + 1}: flannel-ts ${mine.totalMs.toFixed(0)} ms from exec to ${3 * N} entries${mine.polled ? ' (a monitor overflowed: kernel polled every 50 ms)' : ''}, ${mine.cpuMs} ms CPU, peak RSS ${mine.rssMb.toFixed(1)} MB; iproute2 batch ${iproute.toFixed(0)} ms`);
  }

  await list?.refresh();
  // Joins are timed on a daemon that has synced: every Node listed and programmed, and its node watch open.
  // The previous round's 15,000 entries are still on flannel.1, so the device goes first (as in a round):
  // otherwise "N routes" holds before this daemon has read a single Node, "flannel is ready" comes before the
  // node list (the lease is acquired first), and the first patch lands while the 40 MiB list is still being
  // read — it then waits for the list, the first full pass and the watch (0.1–1 s before 2026-12-04).
  deleteFlannelDevice(h1);
  const execAt = performance.now();
  const node = startDaemon(lab, h1, settings);
  await node.waitForOutput(/flannel is ready/, { timeoutMs: 120_000 });
  const readyMs = performance.now() - execAt;
  while (counts(h1).routes < N || api.server.openWatches() === 0) await delay(100);
  console.log(`join daemon: ready ${readyMs.toFixed(0)} ms after exec, synced (${N} routes, node watch open) by ${(performance.now() - execAt).toFixed(0)} ms`);
  const joins: number[] = [];
  for (let index = 1; index <= JOINS; index++) {
    const ms = await measureJoin(api, h1, index, node.pid);
    joins.push(ms);
    console.log(`join ${index}: the new node's route on the running daemon ${ms.toFixed(1)} ms after its annotation patch`);
  }
  const rss = peakRssMb(node.pid!);
  await node.stop(5_000);
  if (process.env.DAEMON_STDERR) writeFileSync(`${process.env.DAEMON_STDERR}.join`, node.stdout + node.stderr);

  const restarts: DaemonRound[] = [];
  for (let round = 0; round < RESTARTS; round++) {
    restarts.push(await runRestart(lab, h1, settings));
    console.log(`restart ${round + 1}: flannel-ts with the ${3 * N} entries already in the kernel: peak RSS ${restarts[round]!.rssMb.toFixed(1)} MB, ${restarts[round]!.cpuMs} ms CPU`);
  }

  const oursMs = median(ours.map((r) => r.totalMs));
  const theirsMs = median(theirs);
  const rssMb = Math.max(rss, median(ours.map((r) => r.rssMb)));
  console.log(`\n${N} realistic Nodes (${3 * N} kernel entries); medians of ${ROUNDS} rounds:`);
  console.log(`flannel-ts --kube-subnet-mgr cold start (exec → all entries): ${oursMs.toFixed(0)} ms wall, ${median(ours.map((r) => r.cpuMs))} ms CPU, peak RSS ${median(ours.map((r) => r.rssMb)).toFixed(1)} MB`);
  console.log(`iproute2 ip -batch + bridge -batch: ${theirsMs.toFixed(0)} ms wall`);
  console.log(`ratio flannel-ts / iproute2: ${(oursMs / theirsMs).toFixed(2)}x wall (target ≤ 3x); daemon peak RSS ${rssMb.toFixed(1)} MB (target < 100 MB)`);
  console.log(`peak RSS of the daemon that took the joins: ${rss.toFixed(1)} MB`);
  if (restarts.length > 0) console.log(`restart with the entries in the kernel: peak RSS ${median(restarts.map((r) => r.rssMb)).toFixed(1)} MB (${restarts.map((r) => r.rssMb.toFixed(1)).join(', ')}), ${median(restarts.map((r) => r.cpuMs))} ms CPU`);
  if (joins.length > 0) console.log(`new node on a running daemon: median ${median(joins).toFixed(1)} ms, max ${Math.max(...joins).toFixed(1)} ms after its annotation patch (target ≤ 100 ms; ${JOINS} joins)`);
} finally {
  await api?.close();
  await lab.close();
  rmSync(scratch, { recursive: true, force: true });
}
