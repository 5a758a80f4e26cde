// Programs N remote VXLAN hosts the way flannel's vxlan backend does, through @flannel-ts/netlink (batched) and
// through iproute2 (`ip -batch` + `bridge -batch`), each in a fresh namespace, and prints both times and the ratio.
// Then a second pass over the already-programmed set that reads (dump neigh/FDB/routes), diffs and writes nothing.
//
// Run as root from the repository root (tsx resolves @flannel-ts/* to src, no build needed):
//   pnpm exec tsx bench/netlink-vxlan-5000.ts [N]
//
// Per remote host i (flannel `handleSubnetEvents`, IPv4, no DirectRouting):
//   ip neigh replace <subnet ip> dev flannel.1 lladdr <mac> nud permanent
//   bridge fdb replace <mac> dev flannel.1 self dst <public ip> permanent
//   ip route replace <subnet>/24 via <subnet ip> dev flannel.1 onlink
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetlink, type NetlinkOperation } from '@flannel-ts/netlink';

const N = Number(process.argv[2] ?? 5000);

interface Host { subnetIp: string; mac: string; publicIp: string }

const hosts: Host[] = Array.from({ length: N }, (_, i) => ({
  subnetIp: `10.${100 + (i >> 8)}.${i & 0xff}.0`,
  mac: `0e:2a:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`,
  publicIp: `172.${16 + (i >> 16)}.${(i >> 8) & 0xff}.${(i & 0xff) + 0}`,
}));

const ip = (ns: string, ...args: string[]): string => execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });

function setupNamespace(tag: string): string {
  const ns = `nlb${randomBytes(2).toString('hex')}-${tag}`;
  execFileSync('ip', ['netns', 'add', ns]);
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge');
  ip(ns, 'link', 'set', 'br0', 'up');
  ip(ns, 'addr', 'add', '172.31.255.1/12', 'dev', 'br0');
  ip(ns, 'link', 'add', 'flannel.1', 'type', 'vxlan', 'id', '1', 'local', '172.31.255.1', 'dev', 'br0', 'dstport', '8472', 'nolearning');
  ip(ns, 'link', 'set', 'flannel.1', 'up');
  return ns;
}

function count(ns: string): { neigh: number; fdb: number; routes: number } {
  const lines = (text: string): number => text.split('\n').filter((l) => l.trim() !== '').length;
  return {
    neigh: lines(ip(ns, 'neigh', 'show', 'dev', 'flannel.1', 'nud', 'permanent')),
    fdb: lines(execFileSync('bridge', ['-n', ns, 'fdb', 'show', 'dev', 'flannel.1'], { encoding: 'utf8' })) - 0,
    routes: lines(ip(ns, 'route', 'show', 'dev', 'flannel.1')),
  };
}

function operationsFor(index: number, list: readonly Host[]): NetlinkOperation[] {
  return list.flatMap((h): NetlinkOperation[] => [
    { op: 'replaceNeighbour', neighbour: { family: 4, index, address: h.subnetIp, hardwareAddress: h.mac, state: 'permanent' } },
    { op: 'replaceFdb', entry: { index, hardwareAddress: h.mac, destination: h.publicIp, self: true, state: 'permanent' } },
    { op: 'replaceRoute', route: { family: 4, destination: `${h.subnetIp}/24`, gateway: h.subnetIp, index, onlink: true } },
  ]);
}

const namespaces: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'nlbench-'));
try {
  // 1. flannel-ts
  const nsA = setupNamespace('ts');
  namespaces.push(nsA);
  const netlink = await createNetlink({ netns: { name: nsA } });
  const vx = await netlink.getLink('flannel.1');
  let start = process.hrtime.bigint();
  const results = await netlink.batch(operationsFor(vx.index, hosts));
  const oursMs = Number(process.hrtime.bigint() - start) / 1e6;
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} batched operations failed`);

  // 2. iproute2
  const nsB = setupNamespace('ip');
  namespaces.push(nsB);
  const neighFile = join(scratch, 'neigh.batch');
  const fdbFile = join(scratch, 'fdb.batch');
  const routeFile = join(scratch, 'route.batch');
  writeFileSync(neighFile, hosts.map((h) => `neigh replace ${h.subnetIp} dev flannel.1 lladdr ${h.mac} nud permanent\n`).join(''));
  writeFileSync(fdbFile, hosts.map((h) => `fdb replace ${h.mac} dev flannel.1 self dst ${h.publicIp} permanent\n`).join(''));
  writeFileSync(routeFile, hosts.map((h) => `route replace ${h.subnetIp}/24 via ${h.subnetIp} dev flannel.1 onlink\n`).join(''));
  start = process.hrtime.bigint();
  ip(nsB, '-batch', neighFile);
  execFileSync('bridge', ['-n', nsB, '-batch', fdbFile]);
  ip(nsB, '-batch', routeFile);
  const iprouteMs = Number(process.hrtime.bigint() - start) / 1e6;

  const a = count(nsA);
  const b = count(nsB);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`kernel state differs: flannel-ts ${JSON.stringify(a)} vs iproute2 ${JSON.stringify(b)}`);

  // 3. Second pass over the programmed set: read, diff, apply nothing.
  start = process.hrtime.bigint();
  const [neighbours, fdb, routes] = await Promise.all([
    netlink.listNeighbours({ family: 4, index: vx.index }),
    netlink.listFdb({ index: vx.index }),
    netlink.listRoutes({ family: 4, index: vx.index }),
  ]);
  const haveNeigh = new Set(neighbours.filter((n) => n.state === 'permanent').map((n) => `${n.address} ${n.hardwareAddress}`));
  const haveFdb = new Set(fdb.map((e) => `${e.hardwareAddress} ${e.destination}`));
  const haveRoute = new Set(routes.map((r) => `${r.destination} ${r.gateway} ${r.onlink === true}`));
  const missing = hosts.filter(
    (h) => !haveNeigh.has(`${h.subnetIp} ${h.mac}`) || !haveFdb.has(`${h.mac} ${h.publicIp}`) || !haveRoute.has(`${h.subnetIp}/24 ${h.subnetIp} true`),
  );
  const applied = await netlink.batch(operationsFor(vx.index, missing));
  const resyncMs = Number(process.hrtime.bigint() - start) / 1e6;
  await netlink.close();

  console.log(`hosts: ${N} (${3 * N} kernel objects each side); state: ${JSON.stringify(a)}`);
  console.log(`flannel-ts batch:          ${oursMs.toFixed(1)} ms`);
  console.log(`ip -batch + bridge -batch: ${iprouteMs.toFixed(1)} ms`);
  console.log(`ratio flannel-ts / iproute2: ${(oursMs / iprouteMs).toFixed(2)}x`);
  console.log(`resync (dump neigh+fdb+routes, diff, ${applied.length} writes): ${resyncMs.toFixed(1)} ms`);
} finally {
  for (const ns of namespaces) execFileSync('ip', ['netns', 'del', ns]);
  rmSync(scratch, { recursive: true, force: true });
}
