// Listing 5,000 realistic Nodes (~10 KB of JSON each: labels, kubelet annotations, managedFields, conditions,
// addresses, nodeInfo, 20 images; plus flannel's annotations) from the API server stand-in and turning them
// into leases, as the kube subnet manager's first sync does: time and peak RSS. The reference, in the same
// run, is the plain way — read the whole response, `JSON.parse` it, walk the items — which is what a generic
// client does (client-go and @kubernetes/client-node decode the full list before handing it over).
//
// Run from the repository root (no root, no build):
//   pnpm exec tsx bench/kube-coldstart.ts [N=5000]        (ROUNDS=3)
//
// The stand-in runs in its own process, and each measured side runs in a fresh process (one per round, sides
// alternating), so a side's peak RSS (`process.resourceUsage().maxRSS`) is its own. RSS is reported as the
// peak and as the peak over the process's RSS just before listing (node + tsx + the modules loaded).
// The full daemon cold start (until 15,000 vxlan entries are in the kernel) is bench/kube-daemon-coldstart.ts.
import { execFile, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { realisticNode } from './kube-realistic-node.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const role = process.env.KUBE_BENCH_ROLE;
const run = promisify(execFile);

async function serve(): Promise<void> {
  const { startFakeKubeApiServer } = await import('../packages/kube-client/src/testing/fake-kube-api-server.js');
  const server = await startFakeKubeApiServer();
  const { createServer } = await import('node:http');
  // The list body is built once (the stand-in would clone 5,000 objects per request, which measures it, not us).
  const items = Array.from({ length: N }, (_, i) => realisticNode(i));
  const body = JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '999999' }, items });
  const front = createServer((request, response) => {
    if (request.url?.startsWith('/api/v1/nodes?') && !request.url.includes('watch=')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      // Chunks of 64 KiB, as a real API server streams.
      for (let offset = 0; offset < body.length; offset += 65_536) response.write(body.slice(offset, offset + 65_536));
      response.end();
      return;
    }
    const proxied = `${server.url}${request.url}`;
    void fetch(proxied, { method: request.method ?? 'GET', headers: request.headers as Record<string, string> }).then(async (upstream) => {
      response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
      if (upstream.body) for await (const chunk of upstream.body) response.write(chunk);
      response.end();
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as { port: number }).port;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, bytes: Buffer.byteLength(body), perNode: Math.round(Buffer.byteLength(body) / N) })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function measureOurs(url: string): Promise<void> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createKubeClient } = await import('@flannel-ts/kube-client');
  const { createKubeSubnetManager } = await import('@flannel-ts/subnet-kube');
  const dir = mkdtempSync(join(tmpdir(), 'fts-kube-bench-'));
  writeFileSync(join(dir, 'net-conf.json'), '{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan"}}');
  const manager = createKubeSubnetManager({ client: createKubeClient({ server: url, source: 'bench' }), nodeName: 'self', netConfigPath: join(dir, 'net-conf.json') });
  await manager.getNetworkConfig();
  const before = process.memoryUsage().rss;
  const controller = new AbortController();
  const start = performance.now();
  const iterator = manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
  const first = await iterator.next();
  const ms = performance.now() - start;
  const leases = first.done !== true && first.value.kind === 'snapshot' ? first.value.leases.length : -1;
  controller.abort();
  await iterator.return?.(undefined);
  report(ms, before, leases);
  await manager.close();
}

async function measureReference(url: string): Promise<void> {
  const before = process.memoryUsage().rss;
  const start = performance.now();
  const response = await fetch(`${url}/api/v1/nodes?limit=500&resourceVersion=0`, { headers: { Accept: 'application/json' } });
  const list = JSON.parse(await response.text()) as { items: { metadata: { annotations?: Record<string, string> }; spec: { podCIDR?: string } }[] };
  let leases = 0;
  for (const item of list.items) if (item.metadata.annotations?.['flannel.alpha.coreos.com/kube-subnet-manager'] === 'true' && item.spec.podCIDR) leases += 1;
  report(performance.now() - start, before, leases);
}

function report(ms: number, rssBefore: number, leases: number): void {
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`${JSON.stringify({ ms, peakMB: peak / 2 ** 20, overMB: (peak - rssBefore) / 2 ** 20, leases })}\n`);
}

interface Sample { ms: number; peakMB: number; overMB: number; leases: number }

async function side(name: 'ours' | 'reference', url: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, [...process.execArgv, process.argv[1]!, String(N)], {
    env: { ...process.env, KUBE_BENCH_ROLE: name, KUBE_BENCH_URL: url },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample;
}

const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const server = spawn(process.execPath, [...process.execArgv, process.argv[1]!, String(N)], { env: { ...process.env, KUBE_BENCH_ROLE: 'serve' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise<{ url: string; bytes: number; perNode: number }>((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0]!));
    });
    server.on('exit', (code) => reject(new Error(`stand-in exited with ${code}`)));
  });
  console.log(`${N} nodes, ${(info.bytes / 2 ** 20).toFixed(1)} MiB list, ${info.perNode} bytes per node`);
  const samples: Record<'ours' | 'reference', Sample[]> = { ours: [], reference: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order: ('ours' | 'reference')[] = round % 2 === 0 ? ['ours', 'reference'] : ['reference', 'ours'];
      for (const name of order) {
        const sample = await side(name, info.url);
        samples[name].push(sample);
        console.log(`round ${round + 1} ${name.padEnd(9)} ${sample.ms.toFixed(0).padStart(5)} ms  peak RSS ${sample.peakMB.toFixed(1)} MB (+${sample.overMB.toFixed(1)})  leases ${sample.leases}`);
      }
    }
  } finally {
    server.stdin.end();
  }
  const m = (name: 'ours' | 'reference', key: keyof Sample): number => median(samples[name].map((s) => s[key]));
  console.log(`median ours      ${m('ours', 'ms').toFixed(0)} ms, peak RSS ${m('ours', 'peakMB').toFixed(1)} MB (+${m('ours', 'overMB').toFixed(1)})`);
  console.log(`median reference ${m('reference', 'ms').toFixed(0)} ms, peak RSS ${m('reference', 'peakMB').toFixed(1)} MB (+${m('reference', 'overMB').toFixed(1)})`);
  console.log(`ratio ours/reference: time ${(m('ours', 'ms') / m('reference', 'ms')).toFixed(2)}x, peak RSS ${(m('ours', 'peakMB') / m('reference', 'peakMB')).toFixed(2)}x, RSS growth ${(m('ours', 'overMB') / m('reference', 'overMB')).toFixed(2)}x`);
}

if (role === 'serve') await serve();
else if (role === 'ours') await measureOurs(process.env.KUBE_BENCH_URL!);
else if (role === 'reference') await measureReference(process.env.KUBE_BENCH_URL!);
else await main();
