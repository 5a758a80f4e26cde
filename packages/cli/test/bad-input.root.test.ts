// Bad input stops flannel-ts before it touches anything: an invalid flag, environment value, network
// config, backend option, backend type or interface exits non-zero with a message naming the culprit,
// and leaves no device, no route, no rule, no subnet.env and no etcd key behind.
import { existsSync } from 'node:fs';
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab, LabHost } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdLeases, routeLines, startDaemon } from './cluster.js';

interface Case {
  name: string;
  /** Network config at `/<prefix>/network/config`; none → a valid one. */
  config?: object;
  args?: string[];
  env?: Record<string, string>;
  status: number;
  message: RegExp;
}

const VALID = { Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } };

const CASES: Case[] = [
  { name: 'an invalid flag value', args: ['--ip-masq=maybe'], status: 2, message: /ip-masq.*maybe/ },
  { name: 'an invalid FLANNELD_* value', env: { FLANNELD_SUBNET_LEASE_RENEW_MARGIN: 'soon' }, status: 2, message: /FLANNELD_SUBNET_LEASE_RENEW_MARGIN.*soon/ },
  { name: 'an invalid network config', config: { Network: '10.5.0.0/16', SubnetLen: 31 }, status: 1, message: /SubnetLen 31/ },
  { name: 'a network config that is not JSON', config: '{"Network": 10.5' as unknown as object, status: 1, message: /JSON|config/i },
  { name: 'an invalid vxlan option', config: { Network: '10.5.0.0/16', Backend: { Type: 'vxlan', VNI: 'one' } }, status: 1, message: /VNI/ },
  { name: 'an unknown backend type', config: { Network: '10.5.0.0/16', Backend: { Type: 'ipip' } }, status: 1, message: /unknown backend type: ipip/ },
  { name: 'an interface that does not exist', args: ['--iface=eth9'], status: 1, message: /eth9/ },
];

describe.skipIf(!isRoot())(`flannel-ts on bad input ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  let host: LabHost;
  beforeAll(async () => {
    lab = await createLab({ hosts: 1, etcd: true });
    host = lab.hosts[0]!;
  });
  afterAll(async () => {
    await lab?.close();
  });

  it.each(CASES.map((each, index) => ({ ...each, index })))('exits $status on $name, creating nothing', async (each) => {
    const prefix = `/bad${each.index}/network`;
    const config = each.config ?? VALID;
    await lab.etcd.put(`${prefix}/config`, typeof config === 'string' ? config : JSON.stringify(config));
    const subnetFile = `${lab.tempDir}/bad${each.index}-subnet.env`;
    const daemon = startDaemon(lab, host, subnetFile, [`--etcd-prefix=${prefix}`, '--ip-masq', ...(each.args ?? [])], each.env);
    const exit = await daemon.waitForExit(60_000);
    expect(exit.code, daemon.stderr).toBe(each.status);
    expect(daemon.stderr).toMatch(each.message);

    expect((await host.exec('ip', ['-o', 'link', 'show'], { check: true })).stdout).not.toMatch(/flannel/);
    expect(await routeLines(host, 4)).toEqual(['192.168.77.0/24 dev eth0', 'default via 192.168.77.1 dev eth0']);
    expect((await etcdLeases(lab, prefix)).size).toBe(0);
    expect(existsSync(subnetFile)).toBe(false);
    expect((await host.exec('iptables-save', [], { check: true })).stdout).not.toMatch(/FLANNEL/);
  });
});
