// Snapshot of N flannel leases (each key on its own 24 h etcd lease, as flanneld writes them) through
// @flannel-ts/subnet-etcd versus `etcdctl get --prefix` of the same keys, in the same run; then the rate of
// concurrent acquisitions (M separate managers racing for subnets of one network).
//
// Run from the repository root (tsx resolves @flannel-ts/* to src, no build needed; no root needed):
//   pnpm exec tsx bench/etcd-snapshot.ts [N=5000] [M=200]
//
// Measured:
//   raw list       one range request of <prefix>/subnets/ (@flannel-ts/etcd-client), no decoding
//   list + decode  the same plus flannel's key/value decoding (core decodeLease) of every entry
//   snapshot (default)  a fresh manager's first snapshot: one range request + decode, no TTL reads
//   snapshot cold  with watchExpirations: true: list + decode + one LeaseTimeToLive per etcd lease
//   snapshot warm  the same on a manager whose expiry cache is filled (what a compaction resync costs)
//   etcdctl        `etcdctl get --prefix <prefix>/subnets/` (process start included) and `-w json`
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { decodeLease, leaseAttributes } from '@flannel-ts/core';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { prefixRangeEnd } from '@flannel-ts/etcd-client';
import { startEtcd } from '@flannel-ts/testlab';

const N = Number(process.argv[2] ?? 5000);
const M = Number(process.argv[3] ?? 200);
const prefix = '/bench/coreos.com/network';

async function time<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

async function best<T>(rounds: number, run: () => Promise<T>): Promise<[number, T]> {
  let fastest: [number, T] | undefined;
  for (let round = 0; round < rounds; round += 1) {
    const measured = await time(run);
    if (fastest === undefined || measured[0] < fastest[0]) fastest = measured;
  }
  return fastest as [number, T];
}

const ms = (value: number): string => `${value.toFixed(1).padStart(9)} ms`;

const etcd = await startEtcd({ members: 1 });
try {
  const writer = createEtcdSubnetManager({ endpoints: etcd.endpoints, prefix });
  const put = async (key: string, value: string, lease?: bigint): Promise<void> => {
    await writer.client.put({ key: Buffer.from(key), value: Buffer.from(value), ...(lease === undefined ? {} : { lease }) });
  };
  const subnetsKey = Buffer.from(`${prefix}/subnets/`);
  const listSubnets = () => writer.client.range({ key: subnetsKey, rangeEnd: prefixRangeEnd(subnetsKey) });
  await put(`${prefix}/config`, '{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan"}}');

  // Fill: N keys, each with its own etcd lease, 100 in flight.
  const fillStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 100 }, async () => {
      while (next < N) {
        const index = next++;
        const granted = await writer.client.leaseGrant({ ttl: 86_400n });
        const value = leaseAttributes.encode({
          publicIP: `172.16.${index >> 8}.${index & 255}`,
          backendType: 'vxlan',
          backendData: `{"VNI":1,"VtepMAC":"0e:2a:00:00:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 255).toString(16).padStart(2, '0')}"}`,
        });
        await put(`${prefix}/subnets/10.${index >> 8}.${index & 255}.0-24`, value, granted.id);
      }
    }),
  );
  console.log(`filled ${N} leases in ${(performance.now() - fillStart).toFixed(0)} ms`);

  const [raw] = await best(5, () => listSubnets());
  const [decoded, count] = await best(5, async () => {
    const response = await listSubnets();
    let ok = 0;
    for (const kv of response.kvs) {
      const key = kv.key.toString().slice(`${prefix}/subnets/`.length);
      if (decodeLease(key, kv.value.toString(), { revision: kv.modRevision }).ok) ok += 1;
    }
    return ok;
  });

  const snapshotOf = async (manager: ReturnType<typeof createEtcdSubnetManager>): Promise<number> => {
    const controller = new AbortController();
    const first = await manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]().next();
    controller.abort();
    return first.value?.kind === 'snapshot' ? first.value.leases.length : -1;
  };
  const reader = createEtcdSubnetManager({ endpoints: etcd.endpoints, prefix, watchExpirations: true });
  const [cold, coldCount] = await time(() => snapshotOf(reader));
  const [warm] = await best(5, () => snapshotOf(reader));
  await reader.close();
  const undated = createEtcdSubnetManager({ endpoints: etcd.endpoints, prefix });
  const [noTtl] = await time(() => snapshotOf(undated));
  await undated.close();

  const etcdctl = (json: boolean): Promise<void> =>
    Promise.resolve(
      void execFileSync('etcdctl', [`--endpoints=${etcd.endpoints}`, 'get', '--prefix', ...(json ? ['-w', 'json'] : []), `${prefix}/subnets/`], {
        env: { ...process.env, ETCDCTL_API: '3' },
        maxBuffer: 1 << 28,
      }),
    );
  const [ctl] = await best(5, () => etcdctl(false));
  const [ctlJson] = await best(5, () => etcdctl(true));

  console.log(`\nsnapshot of ${N} leases (best of 5, cold once)`);
  console.log(`  raw list (etcd-client)     ${ms(raw)}`);
  console.log(`  list + decode (${count} ok)  ${ms(decoded)}   ${(decoded / ctl).toFixed(2)}x etcdctl`);
  console.log(`  snapshot warm (cached TTL) ${ms(warm)}   ${(warm / ctl).toFixed(2)}x etcdctl`);
  console.log(`  snapshot cold (${coldCount} TTLs) ${ms(cold)}   ${(cold / ctl).toFixed(2)}x etcdctl`);
  console.log(`  snapshot (default, no TTLs) ${ms(noTtl)}   ${(noTtl / ctl).toFixed(2)}x etcdctl`);
  console.log(`  etcdctl get --prefix       ${ms(ctl)}`);
  console.log(`  etcdctl get --prefix -w json ${ms(ctlJson)}`);

  // Concurrent acquisitions: M managers (own clients), one network with room for 65 535 subnets.
  const acquirePrefix = '/bench-acquire/coreos.com/network';
  await put(`${acquirePrefix}/config`, '{"Network":"10.0.0.0/8","SubnetLen":24}');
  const managers = Array.from({ length: M }, () => createEtcdSubnetManager({ endpoints: etcd.endpoints, prefix: acquirePrefix, acquireAttempts: 30 }));
  await Promise.all(managers.map((manager) => manager.getNetworkConfig())); // connect first
  const [acquire, leases] = await time(() =>
    Promise.all(managers.map((manager, index) => manager.acquireLease({ publicIP: `192.168.${index >> 8}.${index & 255}` }))),
  );
  const distinct = new Set(leases.map((lease) => lease.subnet?.toString())).size;
  console.log(`\n${M} concurrent acquisitions: ${ms(acquire)}  → ${((M / acquire) * 1000).toFixed(0)} leases/s, ${distinct} distinct subnets`);
  const [serial] = await time(async () => {
    for (let index = 0; index < 50; index += 1) await managers[0]!.acquireLease({ publicIP: `192.169.0.${index}` });
  });
  console.log(`50 sequential acquisitions (one manager): ${ms(serial)}  → ${((50 / serial) * 1000).toFixed(0)} leases/s`);
  await Promise.all(managers.map((manager) => manager.close()));
  await writer.close();
} finally {
  await etcd.close();
}
