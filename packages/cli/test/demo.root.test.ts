// `flannel-ts demo` end to end (from the sources): three hosts, every pair pings, clean exits, lab removed.
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo.js';
import { sourceDaemonLaunch } from '../src/demo/lab-node.js';

describe.skipIf(!isRoot())(`flannel-ts demo ${rootSkipReason() ?? ''}`, () => {
  it('brings up three hosts, pings every pair through flannel-ts and cleans up', async () => {
    let output = '';
    const report = await runDemo({ out: { write: (text: string) => (output += text) }, launch: sourceDaemonLaunch() });
    expect(report.hosts.map((host) => host.name)).toEqual(['h1', 'h2', 'h3']);
    expect(report.hosts.every((host) => host.mtu === 1450 && /^10\.5\.\d+\.0\/24$/.test(host.subnet) && host.vtepMac !== undefined)).toBe(true);
    expect(report.pings).toHaveLength(6);
    expect(report.pings.every((ping) => ping.ok)).toBe(true);
    expect(report.cleanExits).toBe(true);
    expect(output).toContain('6/6 host pairs reachable');
    expect(output).toMatch(/lab removed/);
  });

  it.each([
    { backend: 'extension', mtu: 1500 },
    { backend: 'wireguard', mtu: 1420 },
  ])('runs the $backend backend through the real daemon: every pair pings, clean exits', async ({ backend, mtu }) => {
    let output = '';
    const report = await runDemo({ out: { write: (text: string) => (output += text) }, launch: sourceDaemonLaunch(), backend });
    expect(report.hosts.every((host) => host.mtu === mtu && host.leaseJson?.includes(`"BackendType":"${backend}"`))).toBe(true);
    expect(report.pings.every((ping) => ping.ok)).toBe(true);
    expect(report.cleanExits).toBe(true);
    expect(output).toContain('6/6 host pairs reachable');
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
