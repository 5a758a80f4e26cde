import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPreviousSubnetEnv, readSubnetEnv } from './read-subnet-env.js';
import { writeSubnetEnv } from './write-subnet-env.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'subnet-env-read-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readSubnetEnv', () => {
  it('reads back what writeSubnetEnv wrote', async () => {
    const path = join(directory, 'subnet.env');
    await writeSubnetEnv(path, { network: '10.5.0.0/16', subnet: '10.5.9.0/24', ipv6Network: 'fd00::/48', ipv6Subnet: 'fd00:0:0:9::/64', mtu: 1450, ipMasq: true });
    expect(await readSubnetEnv(path)).toMatchObject({
      networks: ['10.5.0.0/16'],
      subnet: '10.5.9.0/24',
      ipv6Networks: ['fd00::/48'],
      ipv6Subnet: 'fd00:0:0:9::/64',
      mtu: 1450,
      ipMasq: true,
    });
  });

  it('names the path when the file is missing', async () => {
    const path = join(directory, 'absent.env');
    await expect(readSubnetEnv(path)).rejects.toMatchObject({ code: 'SUBNET_ENV_NOT_FOUND', message: `${path} does not exist` });
  });

  it('refuses a huge file without reading it all', async () => {
    const path = join(directory, 'huge.env');
    await writeFile(path, Buffer.alloc(1024 * 1024, 0x41));
    await expect(readSubnetEnv(path)).rejects.toMatchObject({ code: 'SUBNET_ENV_TOO_LARGE' });
    await expect(readSubnetEnv(path, { maxBytes: 2 * 1024 * 1024 })).rejects.toMatchObject({ code: 'SUBNET_ENV_MALFORMED' });
  });

  it('reports a directory as a read failure', async () => {
    await expect(readSubnetEnv(directory)).rejects.toMatchObject({ code: 'SUBNET_ENV_READ_FAILED' });
  });

  it('reports binary garbage as malformed', async () => {
    const path = join(directory, 'bin.env');
    await writeFile(path, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
    await expect(readSubnetEnv(path)).rejects.toMatchObject({ code: 'SUBNET_ENV_MALFORMED' });
  });
});

describe('readPreviousSubnetEnv', () => {
  it('returns nothing and no warning when there is no file', async () => {
    expect(await readPreviousSubnetEnv(join(directory, 'none.env'))).toEqual({ warnings: [] });
  });

  it('returns nothing with a warning when the file cannot be read', async () => {
    const previous = await readPreviousSubnetEnv(directory);
    expect(previous.subnet).toBeUndefined();
    // The reason after "could not read <path>: " is the file system's text, not pinned here.
    expect(previous.warnings).toEqual([expect.stringMatching(new RegExp(`^ignoring previous ${directory}: could not read ${directory}: `))]);
  });

  it('reads the previous subnet', async () => {
    const path = join(directory, 'subnet.env');
    await writeFile(path, 'FLANNEL_SUBNET=10.5.9.1/24\r\n');
    expect((await readPreviousSubnetEnv(path)).subnet).toBe('10.5.9.0/24');
  });
});
