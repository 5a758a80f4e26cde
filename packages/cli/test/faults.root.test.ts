// Issue 9 items 5 and 8 on the real daemon: a --subnet-file that cannot be written (under /proc, where
// Node's recursive mkdir spun forever and SIGTERM no longer worked; under a plain file) is a prompt warning
// naming the path and the real errno, and SIGTERM works; SIGHUP is logged and ignored, and SIGTERM still ends the daemon
// cleanly afterwards.
import { readFileSync, writeFileSync } from 'node:fs';
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab, LabHost } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, waitReady } from './cluster.js';

describe.skipIf(!isRoot())(`flannel-ts faults ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  let host: LabHost;
  beforeAll(async () => {
    lab = await createLab({ hosts: 1, etcd: true });
    host = lab.hosts[0]!;
  });
  afterAll(async () => {
    await lab?.close();
  });

  // As flanneld, a subnet file that cannot be written is a warning (the data path works without it); the
  // warning names the path and the errno, and SIGTERM still ends the daemon.
  it('warns with mkdir ENOENT naming the path for a subnet file under /proc, and SIGTERM still works', async () => {
    await lab.etcd.put('/proc-case/network/config', JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } }));
    const daemon = startDaemon(lab, host, '/proc/flannel-ts-fault/subnet.env', ['--etcd-prefix=/proc-case/network']);
    await daemon.waitForOutput(/Failed to write subnet file/, { timeoutMs: 60_000 });
    expect(daemon.stderr).toContain('could not write /proc/flannel-ts-fault/subnet.env: mkdir /proc/flannel-ts-fault: ENOENT');
    expect(await daemon.stop(10_000), daemon.stderr).toMatchObject({ code: 0 });
  });

  it('reports ENOTDIR, not EEXIST, when a parent of the subnet file is a file', async () => {
    await lab.etcd.put('/file-case/network/config', JSON.stringify({ Network: '10.6.0.0/16', Backend: { Type: 'vxlan' } }));
    const file = `${lab.tempDir}/plain-file`;
    writeFileSync(file, 'x');
    const daemon = startDaemon(lab, host, `${file}/run/subnet.env`, ['--etcd-prefix=/file-case/network']);
    await daemon.waitForOutput(/Failed to write subnet file/, { timeoutMs: 60_000 });
    expect(daemon.stderr).toContain(`could not write ${file}/run/subnet.env: mkdir ${file}/run: ENOTDIR`);
    expect(await daemon.stop(10_000), daemon.stderr).toMatchObject({ code: 0 });
  });

  it('logs and ignores SIGHUP, then exits 0 on SIGTERM', async () => {
    await lab.etcd.put('/hup-case/network/config', JSON.stringify({ Network: '10.7.0.0/16', Backend: { Type: 'vxlan' } }));
    const daemon = startDaemon(lab, host, `${lab.tempDir}/hup-subnet.env`, ['--etcd-prefix=/hup-case/network']);
    await waitReady(daemon);
    daemon.kill('SIGHUP');
    await daemon.waitForOutput(/SIGHUP received and ignored/, { timeoutMs: 10_000 });
    expect(daemon.exit).toBeUndefined();
    const exit = await daemon.stop(10_000);
    expect(exit, daemon.stderr).toMatchObject({ code: 0 });
    expect(daemon.stderr).toContain('Exiting cleanly');
  });

  // Issue 9 item 3 on real etcd: someone writes another PublicIP and VtepMAC under this node's key,
  // detached from its etcd lease; the daemon notices on the watch, logs it and puts its own back.
  it('re-asserts its own lease when someone overwrites it in etcd', async () => {
    await lab.etcd.put('/own-case/network/config', JSON.stringify({ Network: '10.8.0.0/16', Backend: { Type: 'vxlan' } }));
    const subnetFile = `${lab.tempDir}/own-subnet.env`;
    const daemon = startDaemon(lab, host, subnetFile, ['--etcd-prefix=/own-case/network']);
    try {
      await waitReady(daemon);
      const subnet = /FLANNEL_SUBNET=(\d+\.\d+\.\d+)\.1\/24/.exec(readFileSync(subnetFile, 'utf8'))![1]!;
      const key = `/own-case/network/subnets/${subnet}.0-24`;
      const own = (await lab.etcd.get(key))!;
      expect(daemon.stderr).not.toContain('overwritten');
      await lab.etcd.put(key, '{"PublicIP":"192.168.77.99","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:99:00:00:00:01"}}');
      await daemon.waitForOutput(/was overwritten by someone else \(PublicIP 192\.168\.77\.99\)/, { timeoutMs: 10_000 });
      for (let tries = 0; (await lab.etcd.get(key)) !== own && tries < 100; tries += 1) await daemon.waitForOutput(/lease renewed|overwritten/, { timeoutMs: 100 }).catch(() => undefined);
      expect(await lab.etcd.get(key)).toBe(own);
    } finally {
      expect(await daemon.stop(10_000), daemon.stderr).toMatchObject({ code: 0 });
    }
  });

  // Issue 9 item 1 on real etcd: a rogue lease with a lower subnet reuses a peer's VtepMAC; the peer's
  // lease is older (etcd create_revision), so it keeps the MAC and the rogue is ignored, named once.
  it('keeps the older lease on a VtepMAC conflict even when the rogue has the lower subnet', async () => {
    const prefix = '/mac-case/network';
    await lab.etcd.put(`${prefix}/config`, JSON.stringify({ Network: '10.9.0.0/16', SubnetMin: '10.9.10.0', Backend: { Type: 'vxlan' } }));
    const peer = (publicIP: string) => `{"PublicIP":"${publicIP}","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"0e:77:00:00:00:02"}}`;
    await lab.etcd.put(`${prefix}/subnets/10.9.50.0-24`, peer('192.168.77.50'));
    const daemon = startDaemon(lab, host, `${lab.tempDir}/mac-subnet.env`, [`--etcd-prefix=${prefix}`]);
    try {
      await waitReady(daemon);
      await daemon.waitForOutput(/1 vxlan peer\(s\) programmed/, { timeoutMs: 20_000 });
      await lab.etcd.put(`${prefix}/subnets/10.9.1.0-24`, peer('192.168.77.66'));
      await daemon.waitForOutput(/ignoring lease 10\.9\.1\.0\/24: VtepMAC 0e:77:00:00:00:02 is also claimed by lease 10\.9\.50\.0\/24/, { timeoutMs: 10_000 });
      const fdb = (await host.exec('bridge', ['fdb', 'show', 'dev', 'flannel.1'], { check: true })).stdout;
      expect(fdb).toContain('0e:77:00:00:00:02 dst 192.168.77.50 self permanent');
      expect(fdb).not.toContain('192.168.77.66');
      expect((await host.exec('ip', ['route', 'show', 'dev', 'flannel.1'], { check: true })).stdout).not.toContain('10.9.1.0/24');
    } finally {
      expect(await daemon.stop(10_000), daemon.stderr).toMatchObject({ code: 0 });
    }
  });
});
