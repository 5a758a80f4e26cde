// ADD wall time of one pod through libcni (the library containerd and CRI-O use), as a runtime sees it:
// the flannel-ts `flannel` plugin (which spawns `bridge`, which spawns `host-local`) against calling
// Debian's `bridge` directly with the same delegate config, in the same run; the plugin both as the bundled
// node script (dist/flannel.cjs: needs Node on the host) and as the self-contained executable (Node single
// executable application). Also the plugin's peak RSS and its bare start-up (CNI_COMMAND=VERSION).
//
// Run as root from the repository root (needs golang-go, golang-github-appc-cni-dev,
// containernetworking-plugins):
//   pnpm exec tsx bench/cni-add.ts [N]        (N pods per round, default 20; ROUNDS=3)
//
// KEEP_NODE_ENV=1 keeps NODE_EXTRA_CA_CERTS / NODE_OPTIONS in the environment the plugins get.
//
// Each round runs the three variants in a rotating order; each variant ADDs N pods (timed inside the Go
// driver, so the driver's own start-up is excluded) and DELs each one before the next ADD. Medians are
// over all rounds.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLab, execCommand } from '@flannel-ts/testlab';
import { buildDelegate, goJsonEncode, loadFlannelNetConf, parseFlannelSubnetEnv } from '@flannel-ts/cni-plugin';
import type { GoJsonValue } from '@flannel-ts/cni-plugin';
import { buildCniDriver, libcniSkipReason } from '../packages/cni-plugin/test/libcni.js';
import { bundlePlugin } from '../packages/cni-plugin/test/plugin-bundle.js';

const N = Number(process.argv[2] ?? 20);
// A runtime hands its own environment to every plugin it runs. NODE_EXTRA_CA_CERTS (set on some machines,
// this one included) makes every Node start read and parse a CA bundle (~45 ms CPU for Debian's), and
// NODE_OPTIONS can load anything; a node's containerd or CRI-O sets neither, so the driver runs without
// them unless KEEP_NODE_ENV=1 (to see what they cost).
const RUNTIME_ENV: Record<string, string | undefined> = process.env.KEEP_NODE_ENV === '1' ? {} : { NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: undefined };
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SUBNET_ENV = 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.7.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (ns: number): string => `${(ns / 1e6).toFixed(1)} ms`;

const skip = libcniSkipReason();
if (skip !== undefined || process.getuid?.() !== 0) {
  console.error(`cni-add: needs root, go and libcni sources ${skip ?? ''}`);
  process.exit(1);
}

const driver = buildCniDriver();
const lab = await createLab({ hosts: 1 });
try {
  const host = lab.hosts[0]!;
  const dir = lab.tempDir;
  writeFileSync(join(dir, 'subnet.env'), SUBNET_ENV);

  // The two builds of the plugin, each in its own CNI bin directory as `flannel`.
  const scriptDir = join(dir, 'bin-script');
  const seaDir = join(dir, 'bin-sea');
  mkdirSync(scriptDir);
  mkdirSync(seaDir);
  const script = await bundlePlugin(scriptDir);
  execFileSync(process.execPath, ['packages/cni-plugin/scripts/build-sea.mjs', join(seaDir, 'flannel'), script], { stdio: ['ignore', 'ignore', 'inherit'] });

  // kube-flannel's flannel entry (without portmap: the comparison is flannel vs its delegate) and bridge
  // with exactly the delegate config flannel builds from it.
  const flannelConf = {
    type: 'flannel',
    subnetFile: join(dir, 'subnet.env'),
    dataDir: join(dir, 'flannel'),
    delegate: { hairpinMode: true, isDefaultGateway: true },
    ipam: { dataDir: join(dir, 'ipam') },
  };
  const delegate = buildDelegate(loadFlannelNetConf({ ...flannelConf, name: 'cbr0', cniVersion: '0.3.1' }), parseFlannelSubnetEnv(SUBNET_ENV, 'subnet.env'));
  const { name: _name, cniVersion: _version, ...bridgeConf } = JSON.parse(goJsonEncode(delegate as GoJsonValue, { sortKeys: true })) as Record<string, unknown>;
  const conflist = (plugin: object, file: string): string => {
    writeFileSync(join(dir, file), JSON.stringify({ cniVersion: '0.3.1', name: 'cbr0', plugins: [plugin] }));
    return join(dir, file);
  };
  const variants = [
    { label: 'bridge directly (same delegate config)', conflist: conflist(bridgeConf, 'bridge.conflist'), path: '/usr/lib/cni' },
    { label: 'flannel-ts plugin, node script', conflist: conflist(flannelConf, 'flannel.conflist'), path: `${scriptDir}:/usr/lib/cni` },
    { label: 'flannel-ts plugin, self-contained executable', conflist: conflist(flannelConf, 'flannel.conflist'), path: `${seaDir}:/usr/lib/cni` },
  ];

  const prefix = `${lab.runId}-b`;
  for (let index = 0; index < N; index++) {
    await execCommand('ip', ['netns', 'add', `${prefix}${index}`], { check: true });
  }
  const times = new Map<string, number[]>(variants.map((variant) => [variant.label, []]));
  const cpuTimes = new Map<string, number[]>(variants.map((variant) => [variant.label, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (let step = 0; step < variants.length; step++) {
        const variant = variants[(round + step) % variants.length]!;
        const result = await host.exec(
          driver,
          ['bench', '-conflist', variant.conflist, '-netns-prefix', `/run/netns/${prefix}`, '-count', String(N), '-path', variant.path, '-cache-dir', join(dir, 'cache'), '-args', 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=bench'],
          { timeoutMs: 600_000, env: RUNTIME_ENV },
        );
        if (result.code !== 0) throw new Error(`${variant.label}: ${result.stdout}${result.stderr}`);
        const measured = JSON.parse(result.stdout) as { addNs: number[]; addCpuNs: number[] };
        times.get(variant.label)!.push(...measured.addNs);
        cpuTimes.get(variant.label)!.push(...measured.addCpuNs);
      }
    }
  } finally {
    for (let index = 0; index < N; index++) await execCommand('ip', ['netns', 'del', `${prefix}${index}`]);
  }

  // Peak RSS of the plugin process alone (GNU time's %M over a wrapper that execs the plugin), 5 ADDs each.
  const rss = async (binary: string): Promise<number> => {
    const wrapperDir = join(dir, `rss-${binary.includes('sea') ? 'sea' : 'script'}`);
    mkdirSync(wrapperDir);
    const log = join(wrapperDir, 'rss.log');
    writeFileSync(join(wrapperDir, 'flannel'), `#!/bin/sh\nexec /usr/bin/time -f %M -a -o ${log} ${binary}\n`);
    chmodSync(join(wrapperDir, 'flannel'), 0o755);
    const netns = `${lab.runId}-r`;
    for (let index = 0; index < 5; index++) await execCommand('ip', ['netns', 'add', `${netns}${index}`], { check: true });
    try {
      const result = await host.exec(driver, ['bench', '-conflist', variants[1]!.conflist, '-netns-prefix', `/run/netns/${netns}`, '-count', '5', '-path', `${wrapperDir}:/usr/lib/cni`, '-cache-dir', join(dir, 'cache')], { timeoutMs: 60_000, env: RUNTIME_ENV });
      if (result.code !== 0) throw new Error(result.stdout + result.stderr);
    } finally {
      for (let index = 0; index < 5; index++) await execCommand('ip', ['netns', 'del', `${netns}${index}`]);
    }
    return Math.max(...readFileSync(log, 'utf8').trim().split('\n').map(Number));
  };
  const rssScript = await rss(script);
  const rssSea = await rss(join(seaDir, 'flannel'));

  // Bare start-up: CNI_COMMAND=VERSION, 20 runs each (bridge is Go).
  const startup = (file: string): number => {
    const samples: number[] = [];
    for (let run = 0; run < 20; run++) {
      const started = process.hrtime.bigint();
      spawnSync(file, [], { env: { CNI_COMMAND: 'VERSION', PATH: process.env.PATH } });
      samples.push(Number(process.hrtime.bigint() - started));
    }
    return median(samples);
  };

  const reference = median(times.get(variants[0]!.label)!);
  const cpuReference = median(cpuTimes.get(variants[0]!.label)!);
  console.log(`ADD through libcni, one pod, median of ${N * ROUNDS} per variant (N=${N}, ROUNDS=${ROUNDS}); CPU = user+sys of every process the ADD ran`);
  console.log(`  runtime environment: ${process.env.KEEP_NODE_ENV === '1' ? "this process's, as is (KEEP_NODE_ENV=1)" : "this process's without NODE_EXTRA_CA_CERTS and NODE_OPTIONS"}`);
  for (const variant of variants) {
    const value = median(times.get(variant.label)!);
    const cpu = median(cpuTimes.get(variant.label)!);
    console.log(`  ${variant.label.padEnd(48)} wall ${ms(value).padStart(9)} ${(value / reference).toFixed(2)}x   CPU ${ms(cpu).padStart(9)} ${(cpu / cpuReference).toFixed(2)}x`);
  }
  console.log(`plugin peak RSS during ADD: node script ${(rssScript / 1024).toFixed(1)} MB, self-contained ${(rssSea / 1024).toFixed(1)} MB`);
  const bridgeStart = startup('/usr/lib/cni/bridge');
  console.log(`start-up (CNI_COMMAND=VERSION, wall, median of 20): bridge ${ms(bridgeStart)}, node script ${ms(startup(script))}, self-contained ${ms(startup(join(seaDir, 'flannel')))}, node -e 0 ${ms(startup(process.execPath))}`);
} finally {
  await lab.close();
}
