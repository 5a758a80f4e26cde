import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory.js';
import { writeFileAtomic } from './write-subnet-env.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'make-directory-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing directory', async () => {
    const deep = join(directory, 'a', 'b', 'c');
    await makeDirectory(deep, 0o755);
    await makeDirectory(deep, 0o755);
    expect((await stat(deep)).isDirectory()).toBe(true);
  });

  it('reports ENOTDIR (not EEXIST) naming the directory when a parent is a file', async () => {
    const file = join(directory, 'file');
    await writeFile(file, 'x');
    await expect(makeDirectory(join(file, 'sub', 'deeper'), 0o755)).rejects.toMatchObject({ code: 'ENOTDIR', syscall: 'mkdir' });
    await expect(makeDirectory(file, 0o755)).rejects.toMatchObject({ code: 'ENOTDIR', path: file });
  });

  it.runIf(process.platform === 'linux')('ends with ENOENT under /proc, where recursive mkdir spins forever (issue 9 item 5)', async () => {
    await expect(makeDirectory('/proc/flannel-ts-test/run', 0o755)).rejects.toMatchObject({ code: 'ENOENT', path: '/proc/flannel-ts-test' });
  });
});

describe('writeFileAtomic errors', () => {
  it.runIf(process.platform === 'linux')('names the path, the step and the real errno', async () => {
    await expect(writeFileAtomic('/proc/flannel-ts-test/subnet.env', 'x')).rejects.toMatchObject({
      code: 'SUBNET_ENV_WRITE_FAILED',
      message: 'could not write /proc/flannel-ts-test/subnet.env: mkdir /proc/flannel-ts-test: ENOENT',
    });
    const file = join(directory, 'plain');
    await writeFile(file, 'x');
    await expect(writeFileAtomic(join(file, 'subnet.env'), 'x')).rejects.toMatchObject({
      message: `could not write ${join(file, 'subnet.env')}: mkdir ${file}: ENOTDIR`,
    });
  });
});
