// etcd with authentication enabled: flannel-ts logs in with --etcd-username/--etcd-password, takes its lease,
// and the password appears in no log line (the flag dump prints it as [REDACTED]).
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREFIX, startDaemon, waitReady } from './cluster.js';

const PASSWORD = 'hunter2-Sup3r-s3cret';

describe.skipIf(!isRoot())(`flannel-ts against etcd with authentication ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ hosts: 1, etcd: true });
    await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: '10.11.0.0/16', Backend: { Type: 'vxlan' } }));
    await lab.etcd.etcdctl(['user', 'add', `root:${PASSWORD}`], { check: true });
    await lab.etcd.etcdctl(['auth', 'enable'], { check: true });
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('authenticates, takes a lease, and never logs the password', async () => {
    const daemon = startDaemon(lab, lab.hosts[0]!, `${lab.tempDir}/subnet.env`, ['--etcd-username=root', `--etcd-password=${PASSWORD}`, '--v=4']);
    await waitReady(daemon);
    const { stdout } = await lab.etcd.etcdctl(['--user', `root:${PASSWORD}`, 'get', '--prefix', '--keys-only', `${PREFIX}/subnets/`], { check: true });
    expect(stdout).toMatch(/\/coreos\.com\/network\/subnets\/10\.11\.\d+\.0-24/);
    daemon.kill('SIGTERM');
    expect((await daemon.waitForExit(20_000)).code).toBe(0);
    expect(daemon.stderr).toContain('"etcdPassword":"[REDACTED]"');
    expect(daemon.stderr + daemon.stdout).not.toContain(PASSWORD);
  });

  it('exits 1 naming the refusal, still without the password, when the credentials are wrong', async () => {
    const daemon = startDaemon(lab, lab.hosts[0]!, `${lab.tempDir}/wrong.env`, ['--etcd-username=root', '--etcd-password=not-the-Password-42']);
    const exit = await daemon.waitForExit(60_000);
    expect(exit.code).toBe(1);
    expect(daemon.stderr).toContain('authentication failed, invalid user ID or password');
    expect(daemon.stderr + daemon.stdout).not.toContain('not-the-Password-42');
  });
});
