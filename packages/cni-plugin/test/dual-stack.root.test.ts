// A dual-stack pod through libcni: subnet.env with both families (as flannel-ts writes it with
// EnableIPv6), one range per family in the delegate, and the pod reaching its gateway over both.
// No daemon: the plugin only reads subnet.env.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLab, execCommand, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCniDriver, driverArgs, kubePodArgs, libcniSkipReason } from './libcni.js';
import type { LibcniCall } from './libcni.js';
import { bundlePlugin } from './plugin-bundle.js';

const lacking = rootSkipReason() ?? libcniSkipReason();

describe.skipIf(!isRoot() || lacking !== undefined)(`a dual-stack pod through libcni ${lacking ?? ''}`, () => {
  let lab: Lab;
  let call: LibcniCall;
  let driver: string;
  let netns: string;

  beforeAll(async () => {
    driver = buildCniDriver();
    lab = await createLab({ hosts: 1 });
    const dir = lab.tempDir;
    const binDir = join(dir, 'bin');
    mkdirSync(binDir);
    await bundlePlugin(binDir);
    writeFileSync(join(dir, 'subnet.env'), 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.3.1/24\nFLANNEL_IPV6_NETWORK=fd00:10:244::/56\nFLANNEL_IPV6_SUBNET=fd00:10:244:3::1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n');
    writeFileSync(join(dir, 'dual.conflist'), JSON.stringify({
      name: 'cbr0',
      cniVersion: '1.0.0',
      plugins: [{ type: 'flannel', subnetFile: join(dir, 'subnet.env'), dataDir: join(dir, 'flannel'), delegate: { hairpinMode: true, isDefaultGateway: true }, ipam: { dataDir: join(dir, 'ipam') } }],
    }));
    netns = `${lab.runId}-d`;
    await execCommand('ip', ['netns', 'add', netns], { check: true });
    await execCommand('ip', ['-n', netns, 'link', 'set', 'lo', 'up'], { check: true });
    call = { conflist: join(dir, 'dual.conflist'), netns: `/run/netns/${netns}`, containerId: 'dual-pod', cniPath: [binDir, '/usr/lib/cni'], cacheDir: join(dir, 'cache'), args: kubePodArgs('default', 'dual') };
  }, 120_000);

  afterAll(async () => {
    if (netns !== undefined) await execCommand('ip', ['netns', 'del', netns]);
    await lab?.close();
  });

  it('gets one address per family, the pod routes of both networks, and reaches both gateways', async () => {
    const host = lab.hosts[0]!;
    const added = await host.exec(driver, driverArgs('add', call), { timeoutMs: 60_000 });
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const result = JSON.parse(added.stdout) as { ips: { address: string; gateway: string }[]; routes: { dst: string }[] };
    expect(result.ips.map((ip) => ip.address)).toEqual([expect.stringMatching(/^10\.244\.3\.\d+\/24$/), expect.stringMatching(/^fd00:10:244:3::[0-9a-f]+\/64$/)]);
    expect(result.routes.map((route) => route.dst)).toEqual(expect.arrayContaining(['10.244.0.0/16', 'fd00:10:244::/56']));
    const scratch = readFileSync(join(lab.tempDir, 'flannel', 'dual-pod'), 'utf8');
    expect(scratch).toContain('"ranges":[[{"subnet":"10.244.3.0/24"}],[{"subnet":"fd00:10:244:3::/64"}]],"routes":[{"dst":"10.244.0.0/16"},{"dst":"fd00:10:244::/56"}]');
    for (const gateway of result.ips.map((ip) => ip.gateway)) {
      const ping = await execCommand('ip', ['netns', 'exec', netns, 'ping', '-n', '-q', '-c', '1', '-W', '5', gateway], { timeoutMs: 15_000 });
      expect(ping.code, `${gateway}: ${ping.stdout}`).toBe(0);
    }
    const deleted = await host.exec(driver, driverArgs('del', call), { timeoutMs: 60_000 });
    expect(deleted.code, deleted.stdout).toBe(0);
  });
});
