// LeaseWatcher of @flannel-ts/core (leases indexed by subnet) versus the list-scanning LeaseWatcher it
// replaced (kept in @flannel-ts/core/testing as the baseline), on the case that hurt: etcd re-sending the full snapshot of N
// leases after a compaction while N leases are already known. Pure CPU: no etcd, no root.
//
// Run from the repository root (tsx resolves @flannel-ts/* to src, no build needed):
//   pnpm exec tsx bench/core-lease-watcher.ts [N=5000]        (ROUNDS=5)
//
// Leases are mostly IPv4-only `10.x.y.0/24` with one in ten dual stack (`fd00:x:y::/64`), as vxlan writes
// them. Each round: a watcher primed with N leases takes a fresh snapshot of N equal leases (new objects,
// one in fifty with a changed PublicIP, so the batch is not empty, in etcd's key order), then N single `added` events, then N
// `removed` events. Prints the median ms of each step for both sides and their ratio.
import { performance } from 'node:perf_hooks';
import { IpNet, LeaseWatcher, type Lease, type LeaseEvent } from '@flannel-ts/core';
// Imported by path: the /testing entry also loads vitest-based suites, which only run under vitest.
import { ScanningLeaseWatcher } from '../packages/core/src/testing/scanning-lease-watcher.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

function makeLease(index: number, publicIP = `172.16.${(index >> 8) & 255}.${index & 255}`): Lease {
  const a = (index >> 8) & 255;
  const b = index & 255;
  const dual = index % 10 === 1;
  return {
    enableIPv4: true,
    enableIPv6: dual,
    subnet: IpNet.parse(`10.${a}.${b}.0/24`),
    ...(dual && { ipv6Subnet: IpNet.parse(`fd00:${a.toString(16)}:${b.toString(16)}::/64`) }),
    attributes: { publicIP, backendType: 'vxlan', backendData: `{"VNI":1,"VtepMAC":"0e:2a:00:00:${a}:${b}"}` },
  };
}

interface Watcher {
  reset(snapshot: readonly Lease[]): LeaseEvent[];
  update(events: readonly LeaseEvent[]): LeaseEvent[];
}

const own = makeLease(N + 1);
const initial = Array.from({ length: N }, (_, index) => makeLease(index));
// etcd lists keys in byte order (`10.0.0.0-24`, `10.0.1.0-24`, `10.0.10.0-24`…), not in the order the leases
// became known.
const etcdKey = (lease: Lease): string => (lease.subnet?.toString() ?? '').replace('/', '-');
const resent = Array.from({ length: N }, (_, index) => (index % 50 === 0 ? makeLease(index, '192.0.2.1') : makeLease(index))).sort((x, y) =>
  etcdKey(x) < etcdKey(y) ? -1 : 1,
);
const added = resent.map((lease): LeaseEvent => ({ type: 'added', lease }));
const removed = initial.map((lease): LeaseEvent => ({ type: 'removed', lease }));

let sink = 0;
type Step = 'reset' | 'added' | 'removed';

function round(make: () => Watcher): Record<Step, number> {
  const watcher = make();
  watcher.reset(initial);
  let start = performance.now();
  sink += watcher.reset(resent).length;
  const reset = performance.now() - start;
  start = performance.now();
  for (const event of added) sink += watcher.update([event]).length;
  const addedMs = performance.now() - start;
  start = performance.now();
  for (const event of removed) sink += watcher.update([event]).length;
  return { reset, added: addedMs, removed: performance.now() - start };
}

const sides: Record<string, () => Watcher> = {
  'scan (before)': () => new ScanningLeaseWatcher(own),
  'index (after)': () => new LeaseWatcher(own),
};

// Same batches on both sides, or the bench compares different work.
const check = Object.values(sides).map((make) => {
  const watcher = make();
  watcher.reset(initial);
  return watcher.reset(resent).length;
});
if (new Set(check).size !== 1) throw new Error(`sides disagree on the snapshot batch: ${check.join(' vs ')}`);

const median = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const results: Record<string, Record<Step, number>> = {};
for (const [name, make] of Object.entries(sides)) {
  round(make); // warm-up
  const rounds = Array.from({ length: ROUNDS }, () => round(make));
  results[name] = { reset: median(rounds.map((r) => r.reset)), added: median(rounds.map((r) => r.added)), removed: median(rounds.map((r) => r.removed)) };
}

const ms = (value: number): string => `${value.toFixed(2).padStart(9)} ms`;
console.log(`core-lease-watcher: ${N} known leases, ${ROUNDS} rounds (median)`);
console.log(`  ${''.padEnd(14)} ${'reset(N)'.padStart(12)} ${'N added'.padStart(12)} ${'N removed'.padStart(12)}`);
for (const [name, r] of Object.entries(results)) console.log(`  ${name.padEnd(14)} ${ms(r.reset)} ${ms(r.added)} ${ms(r.removed)}`);
const before = results['scan (before)']!;
const after = results['index (after)']!;
console.log(
  `  speed-up        ${`${(before.reset / after.reset).toFixed(0)}x`.padStart(12)} ${`${(before.added / after.added).toFixed(0)}x`.padStart(12)} ${`${(before.removed / after.removed).toFixed(0)}x`.padStart(12)}`,
);
if (sink === 0) console.log('(no events)');
