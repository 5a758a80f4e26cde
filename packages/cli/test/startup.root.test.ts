// Startup as flanneld does it: with no network config in etcd the daemon waits (retrying every second, saying
// why) and creates nothing; /healthz answers from the start, /readyz only once subnet.env is written.
import { isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab, LabHost } from '@flannel-ts/testlab';
import { createLab } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdLeases, linkDetails, PREFIX, startDaemon, waitReady } from './cluster.js';

/** GET from inside the host (the health server listens in the host's namespace). */
async function get(host: LabHost, path: string): Promise<string> {
  const script = `fetch('http://127.0.0.1:8285${path}').then(async (r) => console.log(r.status, await r.text()), (e) => console.log('ERR', e.cause?.code ?? e.message))`;
  return (await host.exec(process.execPath, ['-e', script], { check: true })).stdout.trim();
}

describe.skipIf(!isRoot())(`flannel-ts startup ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ hosts: 1, etcd: true });
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('waits for the network config, serving /healthz and a 503 /readyz, then becomes ready', async () => {
    const host = lab.hosts[0]!;
    const daemon = startDaemon(lab, host, `${lab.tempDir}/subnet.env`, ['--healthz-ip=127.0.0.1', '--healthz-port=8285']);
    await daemon.waitForOutput(/Couldn't fetch network config: flannel config not found in etcd store/, { timeoutMs: 60_000 });
    expect(await get(host, '/healthz')).toBe('200 flanneld is running');
    expect(await get(host, '/readyz')).toBe('503 flanneld is not ready yet');
    expect(await linkDetails(host, 'flannel.1')).toBeUndefined();
    expect((await etcdLeases(lab)).size).toBe(0);

    await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: '10.9.0.0/16', Backend: { Type: 'vxlan' } }));
    await waitReady(daemon);
    expect(await get(host, '/readyz')).toBe('200 flanneld is ready');
    expect((await etcdLeases(lab)).size).toBe(1);

    daemon.kill('SIGTERM');
    expect((await daemon.waitForExit(20_000)).code).toBe(0);
    expect(await get(host, '/healthz')).toMatch(/^ERR/);
  });

  it('exits 1 when its lease is deleted from etcd, leaving the data path in place', async () => {
    const host = lab.hosts[0]!;
    await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: '10.9.0.0/16', Backend: { Type: 'vxlan' } }));
    const daemon = startDaemon(lab, host, `${lab.tempDir}/revoked.env`);
    await waitReady(daemon);
    const [key] = [...(await etcdLeases(lab)).keys()];
    await lab.etcd.etcdctl(['del', key!], { check: true });
    const exit = await daemon.waitForExit(20_000);
    expect(exit.code, daemon.stderr).toBe(1);
    expect(daemon.stderr).toMatch(/The lease was revoked/);
    expect(await linkDetails(host, 'flannel.1')).toBeDefined();
  });
});
