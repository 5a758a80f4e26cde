import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSubnetEnv } from './write-subnet-env.js';
import { SubnetEnvError } from './subnet-env-error.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'subnet-env-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const values = { network: '10.5.0.0/16', subnet: '10.5.72.0/24', mtu: 1450, ipMasq: true } as const;

describe('writeSubnetEnv', () => {
  it('creates the parent directory 0755 (less the umask, as Go MkdirAll) and the file 0644 whatever the umask', async () => {
    const path = join(directory, 'run', 'flannel', 'subnet.env');
    const previousUmask = process.umask(0o077);
    try {
      await writeSubnetEnv(path, values);
    } finally {
      process.umask(previousUmask);
    }
    expect(await readFile(path, 'utf8')).toBe(
      'FLANNEL_NETWORK=10.5.0.0/16\nFLANNEL_SUBNET=10.5.72.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
    );
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    expect((await stat(join(directory, 'run', 'flannel'))).mode & 0o777).toBe(0o700);
  });

  it('replaces an existing file and leaves no temporary file behind', async () => {
    const path = join(directory, 'subnet.env');
    await writeFile(path, 'old\n');
    await writeSubnetEnv(path, { ...values, mtu: 1400 });
    expect(await readFile(path, 'utf8')).toContain('FLANNEL_MTU=1400\n');
    expect(await readdir(directory)).toEqual(['subnet.env']);
  });

  it('touches nothing on disk when a value is invalid', async () => {
    const path = join(directory, 'sub', 'subnet.env');
    await expect(writeSubnetEnv(path, { ...values, subnet: 'bogus' })).rejects.toMatchObject({ code: 'SUBNET_ENV_INVALID_VALUE' });
    expect(await readdir(directory)).toEqual([]);
  });

  it('reports an I/O failure as SUBNET_ENV_WRITE_FAILED naming the path and cleans up', async () => {
    const path = join(directory, 'subnet.env');
    await writeFile(path, 'x');
    // the target is a directory's child of a regular file: ENOTDIR
    const bad = join(path, 'subnet.env');
    const error = await writeSubnetEnv(bad, values).catch((caught: unknown) => caught);
    expect(SubnetEnvError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SUBNET_ENV_WRITE_FAILED', path: bad });
    expect((error as Error).message).toContain(bad);
    await chmod(path, 0o644);
    expect(await readdir(directory)).toEqual(['subnet.env']);
  });

  it('refuses to replace a device, FIFO or socket (such as /dev/null), leaving it alone', async () => {
    // A FIFO in the test's own directory stands for /dev/null: a regression must not replace a real device.
    const path = join(directory, 'subnet.env');
    execFileSync('mkfifo', [path]);
    const error = await writeSubnetEnv(path, values).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SUBNET_ENV_WRITE_FAILED', path });
    expect((error as Error).message).toBe(`could not write ${path}: it is a FIFO, not a regular file, and is left alone`);
    expect((await stat(path)).isFIFO()).toBe(true);
    expect(await readdir(directory)).toEqual(['subnet.env']);
  });
});
