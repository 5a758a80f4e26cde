// A large listing over a link with latency: N flannel-like keys read in one range request through
// @flannel-ts/etcd-client with Node's default HTTP/2 windows (64 KiB per stream and per connection, the
// reference) and with the client's defaults (4 MiB / 16 MiB), in the same run, alternating; `etcdctl get
// --prefix` (grpc-go, which grows its windows by BDP estimation) as a second reference.
//
// Run from the repository root (root needed only for netem):
//   pnpm exec tsx bench/etcd-window.ts [N=10000] [DELAY_MS=20]
//
// etcd runs in a testlab namespace; `tc qdisc … netem delay DELAY_MS` on the namespace side of the link to
// this process makes every round trip DELAY_MS longer. Kernels without sch_netem (the CI VM's) get the same
// round trip from a delaying TCP relay in this process instead (DELAY_MS/2 each way, order kept); the script
// says which it used. Keys are written before the delay is added.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createEtcdClient, prefixRangeEnd, type EtcdClient } from '@flannel-ts/etcd-client';
import { createServer, connect, type Server } from 'node:net';
import { createLab, execCommand } from '@flannel-ts/testlab';

const N = Number(process.argv[2] ?? 10_000);
const DELAY_MS = Number(process.argv[3] ?? 20);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const prefix = Buffer.from('/bench/coreos.com/network/subnets/');
const value = (index: number): Buffer =>
  Buffer.from(`{"PublicIP":"192.168.${index >> 8}.${index & 255}","BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"aa:bb:cc:dd:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 255).toString(16).padStart(2, '0')}"}}`);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (value: number): string => `${value.toFixed(1).padStart(8)} ms`;

async function listOnce(client: EtcdClient): Promise<number> {
  const start = performance.now();
  const response = await client.range({ key: prefix, rangeEnd: prefixRangeEnd(prefix) }, { timeoutMs: 120_000 });
  if (response.kvs.length !== N) throw new Error(`listed ${response.kvs.length} keys, expected ${N}`);
  return performance.now() - start;
}

/** A TCP relay to `target` that holds every chunk `oneWayMs` in each direction; resolves its URL. */
async function delayingRelay(target: URL, oneWayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((inbound) => {
    const outbound = connect({ host: target.hostname, port: Number(target.port) });
    const relay = (from: typeof inbound, to: typeof inbound): void => {
      from.on('data', (chunk: Buffer) => setTimeout(() => to.destroyed || to.write(chunk), oneWayMs));
      from.on('close', () => setTimeout(() => to.destroy(), oneWayMs));
      from.on('error', () => undefined);
    };
    relay(inbound, outbound);
    relay(outbound, inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, server };
}

const lab = await createLab({ hosts: 0, etcd: { members: 1 } });
try {
  const endpoint = lab.etcd.clientUrls[0] as string;
  const fill = createEtcdClient({ endpoints: [endpoint] });
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < N) {
        const index = next++;
        await fill.put({ key: Buffer.concat([prefix, Buffer.from(`10.${index >> 8}.${index & 255}.0-24`)]), value: value(index) });
      }
    }),
  );
  fill.close();
  const link = lab.rootLink?.underlayIfname ?? 'lab0';
  const netem = await execCommand('ip', ['netns', 'exec', lab.underlay.netns, 'tc', 'qdisc', 'add', 'dev', link, 'root', 'netem', 'delay', `${DELAY_MS}ms`]);
  let listen = endpoint;
  let relay: Server | undefined;
  if (netem.code !== 0) {
    const started = await delayingRelay(new URL(endpoint), DELAY_MS / 2);
    listen = started.url;
    relay = started.server;
  }
  const how = relay ? 'delaying TCP relay (no sch_netem in this kernel)' : 'tc netem';

  const reference = createEtcdClient({ endpoints: [listen], http2Windows: { streamBytes: 65_535, connectionBytes: 65_535 } });
  const tuned = createEtcdClient({ endpoints: [listen] });
  // Connect both first: the listing alone is timed.
  await reference.range({ key: Buffer.from('/warm') });
  await tuned.range({ key: Buffer.from('/warm') });
  const times = { reference: [] as number[], tuned: [] as number[], etcdctl: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (['reference', 'tuned'] as const) : (['tuned', 'reference'] as const);
    for (const which of order) times[which].push(await listOnce(which === 'reference' ? reference : tuned));
    const start = performance.now();
    // Asynchronously: the relay runs on this event loop.
    await promisify(execFile)('etcdctl', [`--endpoints=${listen}`, '--command-timeout=120s', 'get', '--prefix', prefix.toString()], { maxBuffer: 1 << 28 });
    times.etcdctl.push(performance.now() - start);
  }
  reference.close();
  tuned.close();
  relay?.close();
  const [r, t, e] = [median(times.reference), median(times.tuned), median(times.etcdctl)];
  console.log(`${N} keys, one range request, +${DELAY_MS} ms per round trip (${how}), median of ${ROUNDS}`);
  console.log(`  Node default windows (64 KiB)    ${ms(r)}   1.00x`);
  console.log(`  client defaults (4 MiB / 16 MiB) ${ms(t)}   ${(t / r).toFixed(2)}x`);
  console.log(`  etcdctl get --prefix            ${ms(e)}   ${(e / r).toFixed(2)}x (process start included)`);
} finally {
  await lab.close();
}
