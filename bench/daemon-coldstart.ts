// Cold start of the flannel-ts daemon against an etcd that already holds N remote vxlan leases: the time from
// starting the process until every route, neighbour and FDB entry for those N hosts is in the kernel, against
// iproute2's batch mode (`ip -batch` + `bridge -batch`) programming the same 3×N entries in the same run, plus
// the daemon's peak RSS. Then how long a newly joined host takes to appear on a running node.
//
// Run as root from the repository root:
//   pnpm exec tsx bench/daemon-coldstart.ts [N]        (ROUNDS=3, JOINS=3; LAUNCH=source runs the daemon via tsx)
//
// The daemon is the built bin (packages/cli/bin/flannel-ts.js → dist) when it exists, as in production; with
// LAUNCH=source (or no build) it runs from the sources through tsx, which costs extra start-up and memory.
// Both sides run in testlab hosts (network namespaces) of the same lab; each round starts from an empty kernel
// (flannel.1 deleted) and alternates which side goes first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { builtDaemonLaunch, cliPackageDirectory, sourceDaemonLaunch, startLabNode } from '../packages/cli/src/demo/lab-node.js';
import { createLab, type Lab, type LabHost, type LabProcess } from '@flannel-ts/testlab';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const JOINS = Number(process.env.JOINS ?? 3);
const PREFIX = '/coreos.com/network';
const built = existsSync(join(cliPackageDirectory(), 'dist', 'main.js')) && process.env.LAUNCH !== 'source';
const baseLaunch = built ? builtDaemonLaunch() : sourceDaemonLaunch();
// DAEMON_EXEC_ARGV="--trace-gc …" adds node flags to the daemon (diagnostics only: the figures are for the plain bin);
// DAEMON_STDERR=<file> keeps the last round's daemon stderr there.
const launch = { ...baseLaunch, execArgv: [...baseLaunch.execArgv, ...(process.env.DAEMON_EXEC_ARGV ?? '').split(' ').filter(Boolean)] };

interface Remote { subnetIp: string; mac: string; publicIp: string }
const remotes: Remote[] = Array.from({ length: N }, (_, i) => ({
  subnetIp: `10.${100 + (i >> 8)}.${i & 0xff}.0`,
  mac: `0e:2a:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
  publicIp: `172.${16 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}`,
}));

const b64 = (text: string): string => Buffer.from(text).toString('base64');

async function gateway(lab: Lab, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${lab.etcd.clientUrls[0]}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`etcd ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Writes the N leases as flannel does: one key per subnet, flannel's JSON, attached to a 24 h etcd lease. */
async function populate(lab: Lab): Promise<number> {
  const started = performance.now();
  const grant = await gateway(lab, '/v3/lease/grant', { TTL: 86_400 });
  const lease = grant.ID as string;
  for (let at = 0; at < remotes.length; at += 100) {
    const success = remotes.slice(at, at + 100).map((remote) => ({
      request_put: {
        key: b64(`${PREFIX}/subnets/${remote.subnetIp}-24`),
        value: b64(`{"PublicIP":"${remote.publicIp}","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"${remote.mac}"}}`),
        lease,
      },
    }));
    await gateway(lab, '/v3/kv/txn', { success });
  }
  return performance.now() - started;
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

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** User + system CPU of a live process (`/proc/<pid>/stat` fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function logTime(daemon: LabProcess, message: RegExp): number | undefined {
  for (const line of daemon.stderr.split('\n')) {
    if (!message.test(line)) continue;
    try {
      return (JSON.parse(line) as { time: number }).time;
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}

/** Removes flannel.1 (and with it every route, neighbour and FDB entry on it), if there is one. */
function deleteFlannelDevice(host: LabHost): void {
  try {
    execFileSync('ip', ['-n', host.netns, 'link', 'del', 'flannel.1'], { stdio: 'ignore' });
  } catch {
    // not there
  }
}

interface DaemonRound { totalMs: number; readyMs: number; rssMb: number; readyRssMb: number; cpuMs: number }

/**
 * Watches flannel.1's routes, neighbours and FDB entries appear through `ip monitor` / `bridge monitor` (no
 * polling dumps competing with the daemon for the two CPUs) and resolves with the time the last one arrived.
 */
function watchEntries(host: LabHost): { done: Promise<number>; stop: () => Promise<void> } {
  const seen = { route: new Set<string>(), neigh: new Set<string>(), fdb: new Set<string>() };
  let resolve!: (at: number) => void;
  const done = new Promise<number>((settle) => (resolve = settle));
  const count = (kind: keyof typeof seen, pattern: RegExp) => (chunk: Buffer | string) => {
    const at = performance.now();
    for (const match of String(chunk).matchAll(pattern)) seen[kind].add(match[1]!);
    if (seen.route.size >= N && seen.neigh.size >= N && seen.fdb.size >= N) resolve(at);
  };
  const ip = host.spawn('ip', ['monitor', 'route', 'neigh']);
  const bridge = host.spawn('bridge', ['monitor', 'fdb']);
  let buffered = { ip: '', bridge: '' };
  // Split on whole lines: a chunk may end mid-line.
  const lines = (key: 'ip' | 'bridge', handle: (text: string) => void) => (chunk: Buffer | string) => {
    const text = buffered[key] + String(chunk);
    const cut = text.lastIndexOf('\n') + 1;
    buffered = { ...buffered, [key]: text.slice(cut) };
    handle(text.slice(0, cut));
  };
  ip.child.stdout?.on('data', lines('ip', (text) => {
    count('route', /^(10\.\d+\.\d+\.0\/24) via \S+ dev flannel\.1/gm)(text);
    count('neigh', /^(10\.\d+\.\d+\.0) dev flannel\.1 lladdr \S+ PERMANENT/gm)(text);
  }));
  bridge.child.stdout?.on('data', lines('bridge', count('fdb', /^(\S+) dev flannel\.1 dst \S+ self permanent/gm)));
  return { done, stop: async () => void (await Promise.all([ip.stop(1_000), bridge.stop(1_000)])) };
}

async function runDaemonRound(lab: Lab, host: LabHost, subnetFile: string): Promise<DaemonRound> {
  deleteFlannelDevice(host);
  const watcher = watchEntries(host);
  await delay(200); // let the monitors subscribe
  const startedAt = Date.now();
  const started = performance.now();
  const daemon = startLabNode(host, { launch, etcdEndpoints: lab.etcd.hostEndpoints, subnetFile });
  // Peak RSS up to "flannel is ready" (lease acquired, every lease listed; kernel entries not yet written).
  let readyRssMb = Number.NaN;
  daemon.waitForOutput(/flannel is ready/, { timeoutMs: 120_000 }).then(() => (readyRssMb = peakRssMb(daemon.pid!)), () => undefined);
  try {
    const exited = daemon.exited.then(() => {
      throw new Error(`daemon exited: ${daemon.stderr.slice(-2000)}`);
    });
    const giveUp = new AbortController();
    const timeout = delay(120_000, undefined, { signal: giveUp.signal }).then(() => {
      throw new Error('not converged after 120 s');
    });
    timeout.catch(() => undefined);
    exited.catch(() => undefined);
    const finished = await Promise.race([watcher.done, exited, timeout]).finally(() => giveUp.abort());
    const totalMs = finished - started;
    const rssMb = peakRssMb(daemon.pid!);
    const cpu = cpuMs(daemon.pid!);
    const now = counts(host);
    if (now.neigh !== N || now.fdb !== N || now.routes !== N) throw new Error(`kernel holds ${JSON.stringify(now)}`);
    const ready = logTime(daemon, /flannel is ready/);
    return { totalMs, readyMs: ready === undefined ? Number.NaN : ready - startedAt, rssMb, readyRssMb, cpuMs: cpu };
  } finally {
    await daemon.stop(5_000);
    if (process.env.DAEMON_STDERR) writeFileSync(process.env.DAEMON_STDERR, daemon.stdout + daemon.stderr);
    await watcher.stop();
  }
}

interface IprouteRound { totalMs: number; rssMb: number; cpuMs: number }

function runIproute2Round(host: LabHost, scratch: string): IprouteRound {
  const ns = host.netns;
  deleteFlannelDevice(host);
  execFileSync('ip', ['-n', ns, 'link', 'add', 'flannel.1', 'type', 'vxlan', 'id', '1', 'local', host.address, 'dev', 'eth0', 'dstport', '8472', 'nolearning']);
  execFileSync('ip', ['-n', ns, 'link', 'set', 'flannel.1', 'up']);
  const neighFile = join(scratch, 'neigh.batch');
  const fdbFile = join(scratch, 'fdb.batch');
  const routeFile = join(scratch, 'route.batch');
  writeFileSync(neighFile, remotes.map((r) => `neigh replace ${r.subnetIp} dev flannel.1 lladdr ${r.mac} nud permanent\n`).join(''));
  writeFileSync(fdbFile, remotes.map((r) => `fdb replace ${r.mac} dev flannel.1 self dst ${r.publicIp} permanent\n`).join(''));
  writeFileSync(routeFile, remotes.map((r) => `route replace ${r.subnetIp}/24 via ${r.subnetIp} dev flannel.1 onlink\n`).join(''));
  // GNU time prints each command's peak RSS (KiB) and user/system CPU seconds on stderr.
  const started = performance.now();
  const output = execFileSync(
    'bash',
    ['-c', `{ /usr/bin/time -f '%M %U %S' ip -n ${ns} -batch ${neighFile} && /usr/bin/time -f '%M %U %S' bridge -n ${ns} -batch ${fdbFile} && /usr/bin/time -f '%M %U %S' ip -n ${ns} -batch ${routeFile}; } 2>&1`],
    { encoding: 'utf8' },
  );
  const totalMs = performance.now() - started;
  const measured = output.trim().split('\n').map((line) => line.split(' ').map(Number)).filter((values) => values.length === 3 && values.every(Number.isFinite));
  const rssKb = Math.max(...measured.map((values) => values[0]!));
  const cpu = measured.reduce((sum, values) => sum + (values[1]! + values[2]!) * 1000, 0);
  const now = counts(host);
  if (now.neigh !== N || now.fdb !== N || now.routes !== N) throw new Error(`iproute2 programmed ${JSON.stringify(now)}`);
  return { totalMs, rssMb: rssKb / 1024, cpuMs: cpu };
}

/** Starts a daemon on `joiner` and measures when its subnet's route, neighbour and FDB entry appear on `watcher`. */
async function measureJoin(lab: Lab, watcher: LabHost, joiner: LabHost, subnetFile: string): Promise<{ fromLeaseMs: number; fromStartMs: number }> {
  const monitor = watcher.spawn('ip', ['monitor', 'route']);
  await delay(100);
  const seen = new Map<string, number>();
  monitor.child.stdout?.on('data', (chunk: Buffer | string) => {
    const at = Date.now();
    for (const match of String(chunk).matchAll(/^(10\.\d+\.\d+\.0\/24) via /gm)) if (!seen.has(match[1]!)) seen.set(match[1]!, at);
  });
  const startedAt = Date.now();
  const daemon = startLabNode(joiner, { launch, etcdEndpoints: lab.etcd.hostEndpoints, subnetFile });
  try {
    await daemon.waitForOutput(/flannel is ready/, { timeoutMs: 60_000 });
    const subnet = /FLANNEL_SUBNET=(\d+\.\d+\.\d+)\.1\/24/.exec(readFileSync(subnetFile, 'utf8'))![1]! + '.0/24';
    const deadline = Date.now() + 30_000;
    while (!seen.has(subnet) && Date.now() < deadline) await delay(5);
    const appeared = seen.get(subnet);
    if (appeared === undefined) throw new Error(`${subnet} never appeared on ${watcher.name}`);
    const leased = logTime(daemon, /allocated lease|Acquired lease/) ?? startedAt;
    const neighbour = execFileSync('ip', ['-n', watcher.netns, 'neigh', 'show', subnet.replace('/24', ''), 'dev', 'flannel.1'], { encoding: 'utf8' });
    if (!/PERMANENT/.test(neighbour)) throw new Error(`no neighbour for ${subnet} on ${watcher.name}`);
    // Leave: stop the daemon and delete its lease so the next join starts from scratch.
    await daemon.stop(5_000);
    await lab.etcd.etcdctl(['del', `${PREFIX}/subnets/${subnet.replace('/', '-')}`], { check: true });
    return { fromLeaseMs: appeared - leased, fromStartMs: appeared - startedAt };
  } finally {
    await daemon.stop(5_000);
    await monitor.stop(1_000);
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const scratch = mkdtempSync(join(tmpdir(), 'coldstart-'));
const lab = await createLab({ hosts: 3, etcd: true });
try {
  const [h1, h2, h3] = lab.hosts as [LabHost, LabHost, LabHost];
  await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: '10.0.0.0/8', Backend: { Type: 'vxlan' } }));
  const populateMs = await populate(lab);
  console.log(`etcd: ${N} remote vxlan leases written in ${populateMs.toFixed(0)} ms; daemon: ${built ? 'built bin (dist)' : 'sources via tsx'}`);

  const ours: DaemonRound[] = [];
  const theirs: IprouteRound[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let mine: DaemonRound;
    let iproute: IprouteRound;
    if (round % 2 === 0) {
      mine = await runDaemonRound(lab, h1, join(scratch, 'h1-subnet.env'));
      iproute = runIproute2Round(h2, scratch);
    } else {
      iproute = runIproute2Round(h2, scratch);
      mine = await runDaemonRound(lab, h1, join(scratch, 'h1-subnet.env'));
    }
    ours.push(mine);
    theirs.push(iproute);
    console.log(
      `round ${round + 1}: flannel-ts ${mine.totalMs.toFixed(0)} ms from exec to ${3 * N} entries (ready after ${mine.readyMs.toFixed(0)} ms), ${mine.cpuMs} ms CPU, peak RSS ${mine.rssMb.toFixed(1)} MB (${mine.readyRssMb.toFixed(1)} MB by ready); ` +
        `iproute2 batch ${iproute.totalMs.toFixed(0)} ms, ${iproute.cpuMs.toFixed(0)} ms CPU, peak RSS ${iproute.rssMb.toFixed(1)} MB`,
    );
  }

  // The node on h1 keeps running while hosts join; it already knows the N remotes.
  const node = startLabNode(h1, { launch, etcdEndpoints: lab.etcd.hostEndpoints, subnetFile: join(scratch, 'h1-subnet.env') });
  await node.waitForOutput(/flannel is ready/, { timeoutMs: 60_000 });
  while (counts(h1).routes < N) await delay(50);
  const joins: { fromLeaseMs: number; fromStartMs: number }[] = [];
  for (let join_ = 0; join_ < JOINS; join_++) {
    const measured = await measureJoin(lab, h1, h3, join(scratch, 'h3-subnet.env'));
    joins.push(measured);
    console.log(`join ${join_ + 1}: h3's subnet on h1 ${measured.fromLeaseMs} ms after h3 wrote its lease (${measured.fromStartMs} ms after h3's daemon started)`);
  }
  await node.stop(5_000);
  void h2;

  const oursMs = median(ours.map((r) => r.totalMs));
  const theirsMs = median(theirs.map((r) => r.totalMs));
  console.log(`\n${N} remote hosts (${3 * N} kernel entries); medians of ${ROUNDS} rounds:`);
  const oursCpu = median(ours.map((r) => r.cpuMs));
  const theirsCpu = median(theirs.map((r) => r.cpuMs));
  console.log(`flannel-ts cold start (exec → all entries): ${oursMs.toFixed(0)} ms wall, ${oursCpu} ms CPU (user+sys of the daemon), peak RSS ${median(ours.map((r) => r.rssMb)).toFixed(1)} MB (${median(ours.map((r) => r.readyRssMb)).toFixed(1)} MB by ready, after ${median(ours.map((r) => r.readyMs)).toFixed(0)} ms)`);
  console.log(`iproute2 ip -batch + bridge -batch:          ${theirsMs.toFixed(0)} ms wall, ${theirsCpu.toFixed(0)} ms CPU (user+sys of ip/bridge), peak RSS ${median(theirs.map((r) => r.rssMb)).toFixed(1)} MB`);
  console.log(`ratio flannel-ts / iproute2: ${(oursMs / theirsMs).toFixed(2)}x wall (target ≤ 3x), ${(oursCpu / theirsCpu).toFixed(2)}x CPU; daemon RSS ${median(ours.map((r) => r.rssMb)) < 100 ? '<' : '≥'} 100 MB (target < 100 MB)`);
  console.log(`new host visible on a running node: median ${median(joins.map((j) => j.fromLeaseMs))} ms after its lease was written (${JOINS} joins)`);
} finally {
  await lab.close();
  rmSync(scratch, { recursive: true, force: true });
}
