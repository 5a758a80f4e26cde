import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLab, findLeftovers, isRoot, rootSkipReason, type Leftovers } from './index.js';

const nothingLeft: Leftovers = { namespaces: [], links: [], processes: [], tempDirs: [], stateFile: undefined };

function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!isRoot())(`createLab ${rootSkipReason() ?? ''}`, () => {
  it('connects hosts over the underlay, IPv4 and IPv6', async () => {
    await using lab = await createLab({ hosts: 3, ipv6: true });
    const [h1, h2, h3] = lab.hosts;
    expect([h1?.address, h2?.address, h3?.address]).toEqual(['192.168.77.11', '192.168.77.12', '192.168.77.13']);
    expect(h2?.address6).toBe('fd77::12');
    expect((await h1!.ping(h3!.address)).ok).toBe(true);
    expect((await h3!.ping(h1!.address6!)).ok).toBe(true);
    expect((await h1!.ping(lab.underlay.gateway)).received).toBe(1);
  });

  it('routes each host by default through eth0, so flannel finds its interface', async () => {
    await using lab = await createLab({ hosts: 1, mtu: 1400 });
    const h1 = lab.host('h1');
    expect(h1.netns).toBe(`${lab.runId}-h1`);
    expect(h1.netnsPath).toBe(`/run/netns/${lab.runId}-h1`);
    const routes = JSON.parse((await h1.exec('ip', ['-j', 'route', 'show', 'default'], { check: true })).stdout) as { dev: string; gateway: string }[];
    expect(routes).toEqual([expect.objectContaining({ dev: 'eth0', gateway: '192.168.77.1' })]);
    const [link] = JSON.parse((await h1.exec('ip', ['-j', 'link', 'show', 'eth0'], { check: true })).stdout) as { mtu: number }[];
    expect(link?.mtu).toBe(1400);
  });

  it('lets hosts join and leave', async () => {
    await using lab = await createLab({ hosts: 2 });
    const h3 = await lab.addHost();
    expect(h3.name).toBe('h3');
    expect((await lab.host('h1').ping(h3.address)).ok).toBe(true);
    await lab.removeHost('h2');
    expect(lab.hosts.map((host) => host.name)).toEqual(['h1', 'h3']);
    expect((await findLeftovers(lab.runId)).namespaces).not.toContain(`${lab.runId}-h2`);
    await expect(lab.hosts[0]!.exec('true')).resolves.toMatchObject({ code: 0 });
    const rejoined = await lab.addHost();
    expect([rejoined.name, rejoined.address]).toEqual(['h2', '192.168.77.12']);
    expect((await rejoined.ping(h3.address)).ok).toBe(true);
  });

  it('runs commands and Node scripts inside a host', async () => {
    await using lab = await createLab({ hosts: 1 });
    const h1 = lab.host('h1');
    const result = await h1.exec('sh', ['-c', 'cat; echo "$X" >&2; exit 3'], { input: 'in', env: { X: 'ex' } });
    expect(result).toEqual({ stdout: 'in', stderr: 'ex\n', code: 3 });
    await expect(h1.exec('false', [], { check: true })).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    const script = join(lab.tempDir, 'interfaces.mjs');
    writeFileSync(script, "import { networkInterfaces } from 'node:os';\nconsole.log(JSON.stringify(networkInterfaces().eth0?.[0]?.address));\n");
    const node = h1.spawnNode(script);
    await node.waitForExit();
    expect(node.stdout.trim()).toBe('"192.168.77.11"');
  });

  it('stops what hosts spawned and leaves nothing behind on close', async () => {
    const lab = await createLab({ hosts: 2, etcd: true });
    const sleeper = lab.host('h1').spawn('sleep', ['300']);
    // A process the lab did not start itself still dies with the namespace.
    await lab.host('h2').exec('sh', ['-c', 'sleep 300 >/dev/null 2>&1 &']);
    const etcdPid = lab.etcd.members[0]?.pid;
    expect(isRunning(sleeper.pid)).toBe(true);
    expect(await findLeftovers(lab.runId)).not.toEqual(nothingLeft);
    await lab.close();
    expect((await sleeper.exited).signal).toBe('SIGTERM');
    expect(isRunning(etcdPid)).toBe(false);
    expect(await findLeftovers(lab.runId)).toEqual(nothingLeft);
    await expect(lab.addHost()).rejects.toMatchObject({ code: 'LAB_CLOSED' });
  });

  it('cleans up when the test using it throws', async () => {
    let runId = '';
    const failing = async (): Promise<void> => {
      await using lab = await createLab({ hosts: 1, etcd: true });
      runId = lab.runId;
      throw new Error('test failed midway');
    };
    await expect(failing()).rejects.toThrow('test failed midway');
    expect(await findLeftovers(runId)).toEqual(nothingLeft);
  });

  it('keeps two concurrent labs apart', async () => {
    const [a, b] = await Promise.all([createLab({ hosts: 2, etcd: true }), createLab({ hosts: 2, etcd: true })]);
    try {
      expect(a.runId).not.toBe(b.runId);
      expect(a.host('h1').address).toBe(b.host('h1').address);
      expect(a.rootLink?.cidr).not.toBe(b.rootLink?.cidr);
      await Promise.all([a.etcd.put('lab', 'a'), b.etcd.put('lab', 'b')]);
      expect([await a.etcd.get('lab'), await b.etcd.get('lab')]).toEqual(['a', 'b']);
      expect((await a.host('h1').ping(a.host('h2').address)).ok).toBe(true);
      await b.close();
      expect((await a.host('h2').ping(a.host('h1').address)).ok).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects invalid options by naming the field and rule', async () => {
    await expect(createLab({ hosts: -1 })).rejects.toThrow('hosts -1 is invalid: must be an integer from 0 to 200');
    await expect(createLab({ underlay: '10.0.0.0/30' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await using lab = await createLab({ hosts: 0 });
    await expect(lab.addHost({ name: 'H-1' })).rejects.toThrow(/host name H-1 is invalid/);
    expect(() => lab.host('h9')).toThrow(/no host h9/);
    expect(() => lab.etcd).toThrow(/no etcd/);
  });
});
