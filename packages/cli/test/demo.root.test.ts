// `flannel-ts demo` end to end (from the sources): three hosts, two pods per host added through the flannel
// CNI plugin (bundled from its sources, bridge + host-local from /usr/lib/cni), every pair of pods pings,
// CNI DEL for every pod, clean exits, lab removed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo.js';
import { sourceDaemonLaunch } from '../src/demo/lab-node.js';
import { bundlePlugin } from '../../cni-plugin/test/plugin-bundle.js';

const lacking = rootSkipReason() ?? (existsSync('/usr/lib/cni/bridge') ? undefined : '(skipped: /usr/lib/cni/bridge missing; apt-get install containernetworking-plugins)');

describe.skipIf(!isRoot() || lacking !== undefined)(`flannel-ts demo ${lacking ?? ''}`, () => {
  let artifacts: string;
  beforeAll(async () => {
    artifacts = mkdtempSync(join(tmpdir(), 'flannel-ts-demo-plugin-'));
    renameSync(await bundlePlugin(artifacts), join(artifacts, 'flannel.cjs'));
  });
  afterAll(() => rmSync(artifacts, { recursive: true, force: true }));

  const demo = async (backend?: string) => {
    let output = '';
    const report = await runDemo({ out: { write: (text: string) => (output += text) }, launch: sourceDaemonLaunch(), cniArtifactsDir: artifacts, ...(backend ? { backend } : {}) });
    return { report, output };
  };

  const runIdOf = (output: string): string => /lab (ft[a-z0-9]{4}):/.exec(output)![1]!;

  it('brings up three hosts, adds two pods on each through the CNI plugin, pings every pair of pods and cleans up', async () => {
    const { report, output } = await demo();
    expect(report.hosts.map((host) => host.name)).toEqual(['h1', 'h2', 'h3']);
    expect(report.hosts.every((host) => host.mtu === 1450 && /^10\.5\.\d+\.0\/24$/.test(host.subnet) && host.vtepMac !== undefined)).toBe(true);
    expect(report.pods.map((pod) => pod.name)).toEqual(['h1-a', 'h1-b', 'h2-a', 'h2-b', 'h3-a', 'h3-b']);
    for (const pod of report.pods) {
      // host-local hands out addresses from the host's own lease, after the gateway (.1, on cni0).
      const subnet = report.hosts.find((host) => host.name === pod.host)!.subnet;
      expect(pod.address.split('.').slice(0, 3)).toEqual(subnet.split('.').slice(0, 3));
      expect(pod.address.endsWith('.1')).toBe(false);
    }
    expect(new Set(report.pods.map((pod) => pod.address)).size).toBe(6);
    expect(report.pings).toHaveLength(30);
    expect(report.pings.every((ping) => ping.ok)).toBe(true);
    expect(report.podsDeleted).toBe(true);
    expect(report.cleanExits).toBe(true);
    expect(output).toContain('30/30 pod pairs reachable');
    expect(output).toMatch(/lab removed/);
    // No pod namespace outlives the demo.
    const runId = runIdOf(output);
    expect(readdirSync('/run/netns').filter((name) => name.startsWith(`${runId}-`))).toEqual([]);
  });

  it('when a pod cannot be added, deletes the pods added so far (CNI DEL) and removes every namespace', async () => {
    // A plugin that records each call and refuses h2's first pod, else runs the real one.
    const broken = join(artifacts, 'broken');
    mkdirSync(broken);
    const log = join(broken, 'calls.log');
    writeFileSync(log, '');
    writeFileSync(join(broken, 'flannel.cjs'), [
      '#!/usr/bin/env node',
      `require('node:fs').appendFileSync(${JSON.stringify(log)}, process.env.CNI_COMMAND + ' ' + process.env.CNI_CONTAINERID + '\\n');`,
      "if (process.env.CNI_COMMAND === 'ADD' && process.env.CNI_CONTAINERID === 'h2-a') {",
      "  process.stdout.write(JSON.stringify({ cniVersion: '1.0.0', code: 11, msg: 'refused on purpose' }));",
      '  process.exitCode = 1;',
      `} else require(${JSON.stringify(join(artifacts, 'flannel.cjs'))});`,
    ].join('\n'));
    let output = '';
    await expect(runDemo({ out: { write: (text: string) => (output += text) }, launch: sourceDaemonLaunch(), cniArtifactsDir: broken })).rejects.toThrow(
      /^CNI ADD of h2-a in ft[a-z0-9]{4}-h2-a failed: refused on purpose \(CNI error code 11\)$/,
    );
    expect(output).toMatch(/lab removed/);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.slice(0, 3)).toEqual(['ADD h1-a', 'ADD h1-b', 'ADD h2-a']);
    expect(calls.slice(3).sort()).toEqual(['DEL h1-a', 'DEL h1-b', 'DEL h2-a']);
    const runId = runIdOf(output);
    expect(readdirSync('/run/netns').filter((name) => name.startsWith(`${runId}-`))).toEqual([]);
  });

  it.each([
    { backend: 'host-gw', mtu: 1500 },
    { backend: 'extension', mtu: 1500 },
    { backend: 'wireguard', mtu: 1420 },
  ])('runs the $backend backend through the real daemon: every pair of pods pings, clean exits', async ({ backend, mtu }) => {
    const { report, output } = await demo(backend);
    expect(report.hosts.every((host) => host.mtu === mtu && host.leaseJson?.includes(`"BackendType":"${backend}"`))).toBe(true);
    expect(report.pods).toHaveLength(6);
    expect(report.pings.every((ping) => ping.ok)).toBe(true);
    expect(report.podsDeleted).toBe(true);
    expect(report.cleanExits).toBe(true);
    expect(output).toContain('30/30 pod pairs reachable');
  });

  it('runs on udp with --backend udp: MTU 1472, leases without BackendType', async () => {
    let output = '';
    const report = await runDemo({ out: { write: (text: string) => (output += text) }, backend: 'udp', launch: sourceDaemonLaunch() });
    expect(report.hosts.every((host) => host.mtu === 1472 && host.leaseJson === `{"PublicIP":"${host.underlay}","PublicIPv6":null}`)).toBe(true);
    expect(report.pings.every((ping) => ping.ok)).toBe(true);
    expect(report.cleanExits).toBe(true);
    expect(output).toContain('routes 10.5.0.0/16 through flannel0');
  });
});
