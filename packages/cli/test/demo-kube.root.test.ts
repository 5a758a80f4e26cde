// `flannel-ts demo --kube` end to end (from the sources): the API server stand-in instead of etcd, three
// hosts, every pair pings, clean exits, lab removed.
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo.js';
import { sourceDaemonLaunch } from '../src/demo/lab-node.js';

describe.skipIf(!isRoot())(`flannel-ts demo --kube ${rootSkipReason() ?? ''}`, () => {
  it('brings up three Kubernetes nodes on the stand-in, pings every pair through flannel-ts and cleans up', async () => {
    let output = '';
    const report = await runDemo({ out: { write: (text: string) => (output += text) }, launch: sourceDaemonLaunch(), subnet: 'kube' });
    expect(report.hosts.map((host) => [host.name, host.subnet])).toEqual([
      ['h1', '10.5.1.0/24'],
      ['h2', '10.5.2.0/24'],
      ['h3', '10.5.3.0/24'],
    ]);
    expect(report.hosts.every((host) => host.mtu === 1450 && host.vtepMac !== undefined && host.leaseJson?.includes('"flannel.alpha.coreos.com/kube-subnet-manager":"true"'))).toBe(true);
    expect(report.pings.every((ping) => ping.ok)).toBe(true);
    expect(report.cleanExits).toBe(true);
    expect(output).toContain('API server stand-in at http://');
    expect(report.podsDeleted).toBe(true);
    expect(output).toContain('30/30 pod pairs reachable');
    expect(output).toMatch(/lab removed/);
  }, 120_000);
});
