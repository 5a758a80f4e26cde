// Memory under churn: the flannel-ts daemon on a host whose etcd holds N remote vxlan leases (default 1,850),
// while 5–10 of them change every second for two minutes (a new VtepMAC and PublicIP, or deleted and written
// again a moment later), as a cluster with nodes rebooting and being replaced sees. The daemon's RSS is
// sampled every 2 s from /proc (the curve is printed), and the steady state — the median RSS over the last
// minute of churn — is compared with the RSS right after the cold start, measured in the same run.
//
// Run as root from the repository root (after `pnpm build`):
//   pnpm exec tsx bench/churn.ts [N] [SECONDS]        (RATE=7.5 changes/s; DAEMON_EXEC_ARGV="…" adds node flags,
//   DAEMON_STDERR=<file> keeps the daemon's output)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { builtDaemonLaunch, startLabNode } from '../packages/cli/src/demo/lab-node.js';
import { createLab, type Lab, type LabHost } from '@flannel-ts/testlab';

const N = Number(process.argv[2] ?? 1850);
const SECONDS = Number(process.argv[3] ?? 120);
const RATE = Number(process.env.RATE ?? 7.5);
const PREFIX = '/coreos.com/network';
const baseLaunch = builtDaemonLaunch();
const launch = { ...baseLaunch, execArgv: [...baseLaunch.execArgv, ...(process.env.DAEMON_EXEC_ARGV ?? '').split(' ').filter(Boolean)] };

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const hex = (n: number): string => n.toString(16).padStart(2, '0');
const subnetOf = (i: number): string => `10.${100 + (i >> 8)}.${i & 0xff}.0`;
/** Lease `i` in its `generation`-th form: each generation has its own VtepMAC and PublicIP. */
const value = (i: number, generation: number): string =>
  `{"PublicIP":"172.${16 + (generation & 0x0f)}.${i >> 8}.${i & 0xff}","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:${hex(generation & 0xff)}:00:00:${hex(i >> 8)}:${hex(i & 0xff)}"}}`;

async function gateway(lab: Lab, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${lab.etcd.clientUrls[0]}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`etcd ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function routes(host: LabHost): number {
  try {
    return execFileSync('ip', ['-n', host.netns, 'route', 'show', 'dev', 'flannel.1'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const scratch = mkdtempSync(join(tmpdir(), 'churn-'));
const lab = await createLab({ hosts: 1, etcd: true });
try {
  const [host] = lab.hosts as [LabHost];
  await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: '10.0.0.0/8', Backend: { Type: 'vxlan' } }));
  const lease = (await gateway(lab, '/v3/lease/grant', { TTL: 86_400 })).ID as string;
  const put = (i: number, generation: number) =>
    ({ request_put: { key: b64(`${PREFIX}/subnets/${subnetOf(i)}-24`), value: b64(value(i, generation)), lease } });
  for (let at = 0; at < N; at += 100) {
    await gateway(lab, '/v3/kv/txn', { success: Array.from({ length: Math.min(100, N - at) }, (_, k) => put(at + k, 0)) });
  }
  const daemon = startLabNode(host, { launch, etcdEndpoints: lab.etcd.hostEndpoints, subnetFile: join(scratch, 'subnet.env') });
  try {
    await daemon.waitForOutput(/flannel is ready/, { timeoutMs: 120_000 });
    while (routes(host) < N) await delay(100);
    await delay(2_000);
    const pid = daemon.pid!;
    const afterStart = rssMb(pid);
    console.log(`${N} leases programmed; RSS ${afterStart.rss.toFixed(1)} MB (peak so far ${afterStart.peak.toFixed(1)} MB); churn ${RATE}/s for ${SECONDS} s`);

    const generations = new Array<number>(N).fill(0);
    const deleted = new Set<number>();
    const samples: Array<{ second: number; rss: number }> = [];
    let changes = 0;
    const started = performance.now();
    let nextSample = 0;
    let random = 12345;
    const next = (): number => ((random = (Math.imul(random, 1103515245) + 12345) >>> 0) / 2 ** 32);
    while (performance.now() - started < SECONDS * 1000) {
      const second = (performance.now() - started) / 1000;
      if (second >= nextSample) {
        samples.push({ second: Math.round(second), rss: rssMb(pid).rss });
        nextSample += 2;
      }
      const i = Math.floor(next() * N);
      if (deleted.has(i)) {
        deleted.delete(i);
        generations[i]! += 1;
        await gateway(lab, '/v3/kv/txn', { success: [put(i, generations[i]!)] });
      } else if (next() < 0.3) {
        deleted.add(i);
        await gateway(lab, '/v3/kv/deleterange', { key: b64(`${PREFIX}/subnets/${subnetOf(i)}-24`) });
      } else {
        generations[i]! += 1;
        await gateway(lab, '/v3/kv/txn', { success: [put(i, generations[i]!)] });
      }
      changes += 1;
      // 5–10 changes a second around RATE: a uniformly random gap.
      await delay((1000 / RATE) * (0.66 + next() * 0.68));
    }
    const end = rssMb(pid);
    const steady = median(samples.filter((sample) => sample.second >= SECONDS - 60).map((sample) => sample.rss));
    const lines = daemon.stderr.split('\n').filter(Boolean);
    const info = lines.filter((line) => /"level":30/.test(line)).length;
    console.log(`RSS curve (s: MB): ${samples.map((sample) => `${sample.second}: ${sample.rss.toFixed(0)}`).join(', ')}`);
    console.log(`${changes} lease changes in ${SECONDS} s (${(changes / SECONDS).toFixed(1)}/s)`);
    console.log(`RSS after cold start ${afterStart.rss.toFixed(1)} MB; under churn: steady (median of the last 60 s) ${steady.toFixed(1)} MB, max ${Math.max(...samples.map((s) => s.rss)).toFixed(1)} MB, end ${end.rss.toFixed(1)} MB; peak ${end.peak.toFixed(1)} MB`);
    console.log(`ratio steady / after cold start: ${(steady / afterStart.rss).toFixed(2)}x; steady ${steady < 100 ? '<' : '≥'} 100 MB (target < 100 MB)`);
    console.log(`daemon log: ${lines.length} lines, ${info} at info`);
  } finally {
    await daemon.stop(5_000);
    if (process.env.DAEMON_STDERR) writeFileSync(process.env.DAEMON_STDERR, daemon.stdout + daemon.stderr);
  }
} finally {
  await lab.close();
  rmSync(scratch, { recursive: true, force: true });
}
