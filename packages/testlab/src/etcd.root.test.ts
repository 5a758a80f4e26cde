import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLab, findLeftovers, isRoot, rootSkipReason, startEtcd, TestlabError } from './index.js';

describe.skipIf(!isRoot())(`etcd in a lab ${rootSkipReason() ?? ''}`, () => {
  it('is reachable from the test process and from inside hosts', async () => {
    await using lab = await createLab({ hosts: 2, etcd: true });
    const { etcd } = lab;
    expect(etcd.hostClientUrls).toEqual(['http://192.168.77.1:2379']);
    expect(etcd.clientUrls[0]).toMatch(/^http:\/\/169\.254\.\d+\.\d+:2379$/);
    await etcd.put('/coreos.com/network/config', '{"Network":"10.5.0.0/16"}');

    const h1 = lab.host('h1');
    const read = await h1.exec('etcdctl', ['--endpoints', etcd.hostEndpoints, 'get', '--print-value-only', '/coreos.com/network/config'], { check: true });
    expect(read.stdout.trim()).toBe('{"Network":"10.5.0.0/16"}');
    await h1.exec('etcdctl', ['--endpoints', etcd.hostEndpoints, 'put', '/from/h1', 'hello'], { check: true });
    expect(await etcd.get('/from/h1')).toBe('hello');

    // The test process's URL is not routable from a host: hosts must use hostClientUrls.
    const script = join(lab.tempDir, 'health.mjs');
    writeFileSync(script, 'const response = await fetch(process.argv[2] + "/health"); console.log(await response.text());\n');
    const node = lab.host('h2').spawnNode(script, [etcd.hostClientUrls[0]!]);
    await node.waitForExit();
    expect(JSON.parse(node.stdout)).toMatchObject({ health: 'true' });
  });

  it('keeps serving writes when a 3-member cluster loses its leader, and takes it back on restart', async () => {
    await using lab = await createLab({ hosts: 1, etcd: { members: 3 } });
    const { etcd } = lab;
    expect(etcd.members.map((member) => member.name)).toEqual(['m0', 'm1', 'm2']);
    const leader = await etcd.leader();
    await etcd.kill(leader);
    expect(leader.running).toBe(false);
    await etcd.put('/after/leader-loss', 'still-writable', 10_000);
    const successor = await etcd.leader();
    expect(successor).not.toBe(leader);

    await etcd.restart(leader);
    expect(await etcd.isHealthy(leader)).toBe(true);
    // A serializable read is answered from the member's own copy: it has caught up.
    const { stdout } = await lab.host('h1').exec(
      'etcdctl',
      ['--endpoints', leader.hostClientUrl, 'get', '--consistency=s', '--print-value-only', '/after/leader-loss'],
      { check: true },
    );
    expect(stdout.trim()).toBe('still-writable');
  });

  it('stops a member gracefully and restarts it on the same data', async () => {
    await using lab = await createLab({ hosts: 0, etcd: true });
    const { etcd } = lab;
    await etcd.put('k', 'v1');
    await etcd.stop(0);
    expect(await etcd.isHealthy(0)).toBe(false);
    await etcd.restart(0);
    expect(await etcd.get('k')).toBe('v1');
    const status = await etcd.etcdctl(['endpoint', 'status', '-w', 'json'], { check: true });
    expect(JSON.parse(status.stdout)).toHaveLength(1);
  });
});

describe('startEtcd (standalone)', () => {
  it('serves on 127.0.0.1 and removes its data on close', async () => {
    const etcd = await startEtcd();
    expect(etcd.clientUrls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(etcd.hostClientUrls).toEqual(etcd.clientUrls);
    await etcd.put('a', 'b');
    expect(await etcd.get('a')).toBe('b');
    expect(await etcd.get('missing')).toBeUndefined();
    const runId = /ft[a-z0-9]{4}/.exec(etcd.members[0]!.dataDir)![0];
    await etcd.close();
    const left = await findLeftovers(runId);
    expect([left.processes, left.tempDirs, left.stateFile]).toEqual([[], [], undefined]);
  });

  it('fails with the tail of etcd’s log when a member cannot start', async () => {
    const failure = await startEtcd({ extraArgs: ['--no-such-flag'], startTimeoutMs: 5_000 }).catch((error: unknown) => error);
    expect(TestlabError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'ETCD_FAILED' });
    expect((failure as TestlabError).detail).toMatch(/no-such-flag/);
  });
});
