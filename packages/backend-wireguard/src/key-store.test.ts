import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileKeyStore, DEFAULT_KEY_FILE, keyFilePath } from './key-store.js';
import { WireguardSecretKey } from './wireguard-key.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ft-wgkey-'));
  dirs.push(dir);
  return dir;
}
const KEY = new WireguardSecretKey(Buffer.alloc(32, 7));

describe('key file', () => {
  it('is /run/flannel/wgkey unless WIREGUARD_KEY_FILE names another', () => {
    expect(keyFilePath({})).toBe(DEFAULT_KEY_FILE);
    expect(keyFilePath({ WIREGUARD_KEY_FILE: '/etc/wg.key' })).toBe('/etc/wg.key');
  });

  it('is generated when absent: base64 without newline, mode 0400, directory 0755', async () => {
    const path = join(temp(), 'sub', 'wgkey');
    const key = await createFileKeyStore({ path, generate: () => KEY }).loadPrivateKey();
    expect(key.equals(KEY)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(KEY.revealBase64());
    expect(statSync(path).mode & 0o777).toBe(0o400);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o755);
    expect((await createFileKeyStore({ path }).loadPrivateKey()).equals(KEY)).toBe(true);
  });

  it('reads a wg genkey file with its trailing newline', async () => {
    const path = join(temp(), 'wgkey');
    writeFileSync(path, `${KEY.revealBase64()}\n`, { mode: 0o600 });
    expect((await createFileKeyStore({ path }).loadPrivateKey()).equals(KEY)).toBe(true);
  });

  it('refuses a file group or others can read, naming the mode and the fix', async () => {
    const path = join(temp(), 'wgkey');
    writeFileSync(path, KEY.revealBase64());
    chmodSync(path, 0o644);
    await expect(createFileKeyStore({ path }).loadPrivateKey()).rejects.toThrow(`private key file ${path} has mode 0644: must not be readable or writable by group or others (chmod 0400 ${path})`);
  });

  it('refuses a file that holds no key, without echoing its content', async () => {
    const path = join(temp(), 'wgkey');
    writeFileSync(path, 'secret-but-not-a-key', { mode: 0o400 });
    const error = (await createFileKeyStore({ path }).loadPrivateKey().then(() => new Error('loaded'), (caught: Error) => caught));
    expect(error.message).toBe(`private key file ${path} is invalid: must hold one base64 WireGuard key (32 bytes, as wg genkey writes)`);
    expect(error.message).not.toContain('secret-but');
  });
});
