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
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** Wall and CPU (user + system = cpu) milliseconds of one side's run, and the namespace it programmed. */
interface Run { wall: number; cpu: number; user: number; system: number; ns: string }

/** Programs every host through @flannel-ts/netlink in a fresh namespace; returns wall and CPU ms. */
async function runOurs(): Promise<Run> {
  const ns = setupNamespace('ts');
  namespaces.push(ns);
  const netlink = await createNetlink({ netns: { name: ns } });
  try {
    const vx = await netlink.getLink('flannel.1');
    // Built before the clock starts, as the iproute2 side's batch files are written before its clock starts.
    const operations = operationsFor(vx.index, hosts);
    const start = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const results = await netlink.batch(operations);
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    const failed = results.filter((r) => !r.ok).length;
    if (failed > 0) throw new Error(`${failed} batched operations failed`);
    return { wall, cpu: (cpu.user + cpu.system) / 1000, user: cpu.user / 1000, system: cpu.system / 1000, ns };
  } finally {
    await netlink.close();
  }
}

/** Programs every host through `ip -batch` + `bridge -batch` in a fresh namespace; returns wall and CPU ms. */
function runIproute2(): Run {
  const ns = setupNamespace('ip');
  namespaces.push(ns);
  const neighFile = join(scratch, 'neigh.batch');
  const fdbFile = join(scratch, 'fdb.batch');
  const routeFile = join(scratch, 'route.batch');
  writeFileSync(neighFile, hosts.map((h) => `neigh replace ${h.subnetIp} dev flannel.1 lladdr ${h.mac} nud permanent\n`).join(''));
  writeFileSync(fdbFile, hosts.map((h) => `fdb replace ${h.mac} dev flannel.1 self dst ${h.publicIp} permanent\n`).join(''));
  writeFileSync(routeFile, hosts.map((h) => `route replace ${h.subnetIp}/24 via ${h.subnetIp} dev flannel.1 onlink\n`).join(''));
  // One shell runs the three batches, then `times` prints its children's user and system CPU on the last line.
  const start = process.hrtime.bigint();
  const times = execFileSync('bash', ['-c', `ip -n ${ns} -batch ${neighFile} && bridge -n ${ns} -batch ${fdbFile} && ip -n ${ns} -batch ${routeFile} && times`], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const childLine = times.trim().split('\n').pop() ?? '';
  const [user = 0, system = 0] = [...childLine.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => (Number(m[1]) * 60 + Number(m[2])) * 1000);
  return { wall, cpu: user + system, user, system, ns };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  // Rounds alternate which side goes first, each in fresh namespaces; the machine is shared, so look at the
  // median and at CPU time (which waiting for a busy CPU or the rtnl lock does not inflate).
  const ours: Run[] = [];
  const theirs: Run[] = [];
  let programmed = '';
  for (let round = 0; round < ROUNDS; round++) {
    const a = round % 2 === 0 ? await runOurs() : undefined;
    const b = runIproute2();
    const c = a ?? (await runOurs());
    ours.push(c);
    theirs.push(b);
    const stateA = JSON.stringify(count(c.ns));
    const stateB = JSON.stringify(count(b.ns));
    if (stateA !== stateB) throw new Error(`kernel state differs: flannel-ts ${stateA} vs iproute2 ${stateB}`);
    programmed = stateA;
    console.log(`round ${round + 1}: flannel-ts ${c.wall.toFixed(0)} ms wall / ${c.cpu.toFixed(0)} ms CPU (${c.user.toFixed(0)} user + ${c.system.toFixed(0)} sys); iproute2 ${b.wall.toFixed(0)} ms wall / ${b.cpu.toFixed(0)} ms CPU (${b.user.toFixed(0)} user + ${b.system.toFixed(0)} sys)`);
    for (const ns of namespaces.splice(0, namespaces.length - 1)) execFileSync('ip', ['netns', 'del', ns]);
  }

  // Second pass over the last namespace programmed by flannel-ts: read, diff, write nothing.
  const last = namespaces[namespaces.length - 1]!;
  const netlink = await createNetlink({ netns: { name: last } });
  const vx = await netlink.getLink('flannel.1');
  const start = process.hrtime.bigint();
  const resyncCpuBefore = process.cpuUsage();
  const neighbours = await netlink.listNeighbours({ family: 4, index: vx.index });
  const fdb = await netlink.listFdb({ index: vx.index });
  const routes = await netlink.listRoutes({ family: 4, index: vx.index });
  const haveNeigh = new Set(neighbours.filter((n) => n.state === 'permanent').map((n) => `${n.address} ${n.hardwareAddress}`));
  const haveFdb = new Set(fdb.map((e) => `${e.hardwareAddress} ${e.destination}`));
  const haveRoute = new Set(routes.map((r) => `${r.destination} ${r.gateway} ${r.onlink === true}`));
  const missing = hosts.filter(
    (h) => !haveNeigh.has(`${h.subnetIp} ${h.mac}`) || !haveFdb.has(`${h.mac} ${h.publicIp}`) || !haveRoute.has(`${h.subnetIp}/24 ${h.subnetIp} true`),
  );
  const applied = await netlink.batch(operationsFor(vx.index, missing));
  const resyncMs = Number(process.hrtime.bigint() - start) / 1e6;
  const resyncCpu = process.cpuUsage(resyncCpuBefore);
  await netlink.close();

  const oursWall = median(ours.map((r) => r.wall));
  const theirsWall = median(theirs.map((r) => r.wall));
  const oursCpu = median(ours.map((r) => r.cpu));
  const theirsCpu = median(theirs.map((r) => r.cpu));
  console.log(`hosts: ${N} (${3 * N} kernel objects each side, state ${programmed}); medians of ${ROUNDS} rounds:`);
  console.log(`flannel-ts batch:          ${oursWall.toFixed(1)} ms wall, ${oursCpu.toFixed(1)} ms CPU (user+sys, incl. kernel work; first round cold: ${ours[0]!.wall.toFixed(0)} ms)`);
  console.log(`ip -batch + bridge -batch: ${theirsWall.toFixed(1)} ms wall, ${theirsCpu.toFixed(1)} ms CPU (user+sys of the ip/bridge processes)`);
  console.log(`ratio flannel-ts / iproute2: ${(oursWall / theirsWall).toFixed(2)}x wall, ${(oursCpu / theirsCpu).toFixed(2)}x CPU`);
  console.log(`resync (dump neigh+fdb+routes, diff, ${applied.length} writes): ${resyncMs.toFixed(1)} ms wall, ${((resyncCpu.user + resyncCpu.system) / 1000).toFixed(1)} ms CPU`);
} finally {
  for (const ns of namespaces) execFileSync('ip', ['netns', 'del', ns]);
  rmSync(scratch, { recursive: true, force: true });
}
