// Decoding one 5,000-key etcd RangeResponse — the daemon's start-up snapshot of flannel subnet leases — with
// @flannel-ts/etcd-client's hand-written decoder versus protobufjs (what the `etcd3` client used), in the same
// run. The frame has flannel-style keys `/coreos.com/network/subnets/10.x.y.0-24`, ~120-byte JSON values and
// 63-bit lease IDs, and is built once with our writer.
//
// Run from the repository root (no root, no etcd needed):
//   pnpm exec tsx bench/etcd-decode.ts [N=5000]      (ROUNDS=200)
//
// Measured (median µs per response over ROUNDS, after warm-up; rounds alternate which decoder goes first):
//   ours                    kvRange.decode: key/value are views into the frame, int64 fields bigint
//   protobufjs decode       Type.decode: message objects with Long int64s and Buffer views
//   protobufjs + toObject   decode + toObject({ longs: String, defaults: true }): the shape etcd3 received
//                           from @grpc/proto-loader (keepCase, longs: String, defaults, oneofs)
// protobufjs is only a reference: loaded if installed, otherwise "reference not installed" is printed.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProtoWriter } from '../packages/etcd-client/src/codec/proto-writer.js';
import { kvRange } from '../packages/etcd-client/src/methods.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 200);

/** The RangeResponse etcd would send for N flannel subnet leases. */
function buildFrame(count: number): Buffer {
  const writer = new ProtoWriter(1 << 20);
  writer.message(1, undefined, (w) => {
    w.int64(1, 0xcdef0123456789abn);
    w.int64(2, 0x1122334455667788n);
    w.int64(3, 100_000n);
    w.int64(4, 7n);
  });
  for (let i = 0; i < count; i++) {
    const x = (i >> 8) & 0xff;
    const y = i & 0xff;
    const key = Buffer.from(`/coreos.com/network/subnets/10.${x}.${y}.0-24`);
    const mac = `0a:58:0a:${x.toString(16).padStart(2, '0')}:${y.toString(16).padStart(2, '0')}:01`;
    const value = Buffer.from(`{"PublicIP":"192.168.${x}.${y}","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"${mac}"}}`);
    writer.message(2, undefined, (w) => {
      w.bytes(1, key);
      w.int64(2, BigInt(1000 + i));
      w.int64(3, BigInt(50_000 + i));
      w.int64(4, 1n);
      w.bytes(5, value);
      w.int64(6, 0x694d8a3f00000000n + BigInt(i)); // 63-bit etcd lease IDs
    });
  }
  writer.int64(4, BigInt(count));
  return Buffer.from(writer.finish());
}

interface ProtobufType {
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: object): { kvs: unknown[] };
}

/** protobufjs's RangeResponse type, or undefined when protobufjs is not installed. */
async function loadReference(): Promise<ProtobufType | undefined> {
  let protobuf: { parse(source: string, options: object): { root: { lookupType(name: string): ProtobufType } } };
  try {
    protobuf = (await import('protobufjs' as string)).default;
  } catch {
    try {
      const pnpmDir = join(process.cwd(), 'node_modules/.pnpm');
      const dir = readdirSync(pnpmDir).find((name) => name.startsWith('protobufjs@'));
      if (dir === undefined) return undefined;
      protobuf = createRequire(join(pnpmDir, dir, 'node_modules/protobufjs/package.json'))('protobufjs');
    } catch {
      return undefined;
    }
  }
  const { root } = protobuf.parse(
    `syntax = "proto3"; package etcdserverpb;
    message ResponseHeader { uint64 cluster_id = 1; uint64 member_id = 2; int64 revision = 3; uint64 raft_term = 4; }
    message KeyValue { bytes key = 1; int64 create_revision = 2; int64 mod_revision = 3; int64 version = 4; bytes value = 5; int64 lease = 6; }
    message RangeResponse { ResponseHeader header = 1; repeated KeyValue kvs = 2; bool more = 3; int64 count = 4; }`,
    { keepCase: true },
  );
  return root.lookupType('etcdserverpb.RangeResponse');
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timeOnce(run: () => unknown): number {
  const start = performance.now();
  run();
  return (performance.now() - start) * 1000;
}

const frame = buildFrame(N);
const reference = await loadReference();
const candidates: [string, () => unknown][] = [['ours', () => kvRange.decode(frame)]];
if (reference !== undefined) {
  const toObjectOptions = { longs: String, enums: String, defaults: true, oneofs: true };
  candidates.push(['protobufjs decode', () => reference.decode(frame)]);
  candidates.push(['protobufjs + toObject', () => reference.toObject(reference.decode(frame), toObjectOptions)]);
}

// Same answer from both sides before timing anything.
const ours = kvRange.decode(frame);
if (ours.kvs.length !== N || ours.count !== BigInt(N)) throw new Error(`ours decoded ${ours.kvs.length} keys`);
if (reference !== undefined) {
  const theirs = reference.toObject(reference.decode(frame), { longs: String }) as { kvs: { key: Uint8Array; lease: string }[] };
  const last = N - 1;
  if (theirs.kvs.length !== N || Buffer.compare(theirs.kvs[last]!.key, ours.kvs[last]!.key) !== 0 || theirs.kvs[last]!.lease !== String(ours.kvs[last]!.lease)) {
    throw new Error('protobufjs and ours disagree');
  }
}

for (let i = 0; i < 30; i++) for (const [, run] of candidates) run();
const samples = new Map<string, number[]>(candidates.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? candidates : [...candidates].reverse();
  for (const [name, run] of order) samples.get(name)!.push(timeOnce(run));
}

console.log(`RangeResponse: ${N} kvs, ${(frame.length / 1024).toFixed(0)} KiB frame; median of ${ROUNDS} rounds (node ${process.version})`);
const oursMedian = median(samples.get('ours')!);
for (const [name] of candidates) {
  const us = median(samples.get(name)!);
  const ratio = name === 'ours' ? '' : `  (${(us / oursMedian).toFixed(2)}× ours)`;
  console.log(`  ${name.padEnd(24)} ${us.toFixed(0).padStart(8)} µs/response  ${(us / N).toFixed(3)} µs/kv${ratio}`);
}
if (reference === undefined) console.log('  protobufjs: reference not installed');
