// Where the `flannel` plugin's start-up cost goes, and whether anything Node offers moves it: CPU (user +
// system, from the kernel's accounting of each child, so waiting for a busy CPU does not count) of an empty
// `node -e 0` (the floor), the plugin's VERSION and ADD (with a stub `bridge` that only prints a result, so
// the ADD's own work shows), and the same ADD started with each candidate: V8 flags on the command line, a V8
// user-land startup snapshot (`node --snapshot-blob … --build-snapshot`), the self-contained executable with
// its code cache (what `pnpm build:sea` ships) and with `useSnapshot`. Every candidate runs the same bundle.
//
// No root needed. From the repository root: `pnpm exec tsx bench/cni-startup.ts [RUNS]` (default 30;
// candidates interleaved run by run).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.argv[2] ?? 30);
const root = process.cwd();
const pluginDir = join(root, 'packages/cni-plugin');
const work = mkdtempSync(join(tmpdir(), 'flannel-ts-cni-startup-'));
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * One run: user + system CPU ms of the process and everything it waited for (bash's `times`, from getrusage;
 * `--norc`: bash reads ~/.bashrc when its stdin is a socket, as Node's pipes are). The environment is only
 * PATH and the candidate's own variables.
 */
function cpuOf(argv: readonly string[], env: Record<string, string>, input: string): number {
  const output = execFileSync('bash', ['--norc', '--noprofile', '-c', '"$@" >/dev/null 2>&1; status=$?; times; exit $status', 'cpu-of', ...argv], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    input,
    encoding: 'utf8',
  });
  // Second line: the children's user and system time, `0m0.049s 0m0.007s`.
  const children = output.trim().split('\n')[1] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
  if (seconds.length !== 2) throw new Error(`cannot read the CPU time of ${argv.join(' ')} from ${JSON.stringify(output)}`);
  return (seconds[0]! + seconds[1]!) * 1000;
}

try {
  // esbuild and postject are the cni-plugin package's dev dependencies.
  const require = createRequire(join(pluginDir, 'package.json'));
  const { build } = require('esbuild') as { build: (options: Record<string, unknown>) => Promise<unknown> };
  const esbuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' };
  // The plugin exactly as shipped (dist/flannel.cjs), and a snapshot entry that runs it after deserializing.
  const script = join(work, 'flannel.cjs');
  await build({ ...esbuildOptions, entryPoints: [join(pluginDir, 'src/flannel/flannel-bin.ts')], outfile: script });
  const snapshotEntry = join(work, 'snapshot-entry.ts');
  writeFileSync(snapshotEntry, `import { startupSnapshot } from 'node:v8';\nimport { runFlannelPlugin } from ${JSON.stringify(join(pluginDir, 'src/flannel/flannel-main.ts'))};\nstartupSnapshot.setDeserializeMainFunction(() => { process.exitCode = runFlannelPlugin(); });\n`);
  const snapshotScript = join(work, 'snapshot-entry.cjs');
  await build({ ...esbuildOptions, entryPoints: [snapshotEntry], outfile: snapshotScript });
  const blob = join(work, 'flannel.snapshot');
  execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', snapshotScript], { cwd: work, stdio: 'ignore' });
  const sea = join(work, 'flannel-sea');
  execFileSync(process.execPath, [join(pluginDir, 'scripts/build-sea.mjs'), sea, script], { stdio: 'ignore' });
  const seaSnapshot = join(work, 'flannel-sea-snapshot');
  writeFileSync(join(work, 'sea.json'), JSON.stringify({ main: snapshotScript, output: join(work, 'sea.blob'), disableExperimentalSEAWarning: true, useSnapshot: true }));
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea.json')], { stdio: 'ignore' });
  copyFileSync(process.execPath, seaSnapshot);
  chmodSync(seaSnapshot, 0o755);
  execFileSync(process.execPath, [require.resolve('postject/dist/cli.js'), seaSnapshot, 'NODE_SEA_BLOB', join(work, 'sea.blob'), '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'ignore' });

  // A stub delegate: prints a bridge result (so the plugin's ADD runs to the end) at a shell's cost.
  const stubDir = join(work, 'stub');
  mkdirSync(stubDir);
  writeFileSync(join(stubDir, 'bridge'), `#!/bin/sh\ncat >/dev/null\necho '{"cniVersion":"0.3.1","interfaces":[{"name":"cni0"}],"ips":[{"version":"4","address":"10.244.7.2/24","gateway":"10.244.7.1"}],"dns":{}}'\n`);
  chmodSync(join(stubDir, 'bridge'), 0o755);
  writeFileSync(join(work, 'subnet.env'), 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.7.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
  const config = JSON.stringify({ cniVersion: '0.3.1', name: 'cbr0', type: 'flannel', subnetFile: join(work, 'subnet.env'), dataDir: join(work, 'data'), delegate: { hairpinMode: true, isDefaultGateway: true } });
  const add = { CNI_COMMAND: 'ADD', CNI_NETNS: '/run/netns/none', CNI_IFNAME: 'eth0', CNI_PATH: stubDir };

  const node = process.execPath;
  // A runtime passes its environment on to plugins; this variable makes Node read a CA bundle at start-up.
  const caBundle = process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt';
  const candidates: { label: string; argv: string[]; env: Record<string, string>; input: string }[] = [
    { label: 'node -e 0 (the floor)', argv: [node, '-e', '0'], env: {}, input: '' },
    { label: 'node -e 0, NODE_EXTRA_CA_CERTS set', argv: [node, '-e', '0'], env: { NODE_EXTRA_CA_CERTS: caBundle }, input: '' },
    { label: 'stub bridge alone', argv: [join(stubDir, 'bridge')], env: {}, input: config },
    { label: 'plugin VERSION', argv: [node, script], env: { CNI_COMMAND: 'VERSION' }, input: '' },
    { label: 'plugin ADD (as shipped: node flannel.cjs)', argv: [node, script], env: add, input: config },
    { label: 'plugin ADD, NODE_EXTRA_CA_CERTS set', argv: [node, script], env: { ...add, NODE_EXTRA_CA_CERTS: caBundle }, input: config },
    { label: 'plugin ADD, --v8-pool-size=0', argv: [node, '--v8-pool-size=0', script], env: add, input: config },
    { label: 'plugin ADD, --max-semi-space-size=1', argv: [node, '--max-semi-space-size=1', script], env: add, input: config },
    { label: 'plugin ADD, --jitless', argv: [node, '--jitless', script], env: add, input: config },
    { label: 'plugin ADD, --single-threaded', argv: [node, '--single-threaded', script], env: add, input: config },
    { label: 'plugin ADD, V8 startup snapshot (--snapshot-blob)', argv: [node, '--snapshot-blob', blob], env: add, input: config },
    { label: 'plugin ADD, SEA with code cache (shipped)', argv: [sea], env: add, input: config },
    { label: 'plugin ADD, SEA with useSnapshot', argv: [seaSnapshot], env: add, input: config },
  ];
  const samples = new Map(candidates.map((each) => [each.label, [] as number[]]));
  for (let run = 0; run < RUNS; run++) {
    for (let step = 0; step < candidates.length; step++) {
      const candidate = candidates[(run + step) % candidates.length]!;
      samples.get(candidate.label)!.push(cpuOf(candidate.argv, { ...candidate.env, CNI_CONTAINERID: `c${run}` }, candidate.input));
    }
  }
  const floor = median(samples.get(candidates[0]!.label)!);
  console.log(`CPU (user + system) per start, median of ${RUNS}, candidates interleaved; node ${process.version}`);
  for (const candidate of candidates) {
    const value = median(samples.get(candidate.label)!);
    console.log(`  ${candidate.label.padEnd(52)} ${value.toFixed(1).padStart(6)} ms   ${(value - floor >= 0 ? '+' : '') + (value - floor).toFixed(1)} ms over the floor`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
