// The self-contained build (Node single executable application): built from the bundled script with
// scripts/build-sea.mjs, it must run as the plugin with no node on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeDelegate } from '../src/testing/fake-delegate.js';
import { bundlePlugin } from './plugin-bundle.js';

describe('the self-contained flannel executable', () => {
  let dir: string;
  let sea: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flannel-ts-sea-test-'));
    const script = await bundlePlugin(dir);
    sea = join(dir, 'flannel-sea');
    execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-sea.mjs', import.meta.url)), sea, script], { stdio: 'ignore' });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints VERSION and the banner without node on PATH', () => {
    const version = spawnSync(sea, [], { env: { CNI_COMMAND: 'VERSION', PATH: '/nonexistent' } });
    expect(version.stdout.toString()).toBe('{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n');
    const banner = spawnSync(sea, [], { env: { PATH: '/nonexistent' } });
    expect(banner.status).toBe(0);
    expect(banner.stderr.toString()).toMatch(/^CNI Plugin flannel version \S+ \(linux\/\w+\) commit \S+\nCNI protocol versions supported: 0\.1\.0, /);
  });

  it('runs ADD and DEL through a delegate', () => {
    const bridge = createFakeDelegate();
    try {
      writeFileSync(join(dir, 'subnet.env'), 'FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n');
      const conf = JSON.stringify({ name: 'cni-flannel', type: 'flannel', subnetFile: join(dir, 'subnet.env'), dataDir: join(dir, 'data') });
      const env = { PATH: '/usr/bin:/bin', CNI_CONTAINERID: 'sea-pod', CNI_NETNS: '/var/run/netns/none', CNI_IFNAME: 'eth0', CNI_PATH: bridge.directory };
      const add = spawnSync(sea, [], { env: { ...env, CNI_COMMAND: 'ADD' }, input: conf });
      expect(add.status, add.stdout.toString()).toBe(0);
      expect(readFileSync(join(dir, 'data', 'sea-pod'), 'utf8')).toBe(readFileSync(new URL('../src/__fixtures__/go-scratch-ipv4.json', import.meta.url), 'utf8'));
      const del = spawnSync(sea, [], { env: { ...env, CNI_COMMAND: 'DEL' }, input: conf });
      expect(del.status).toBe(0);
      expect(bridge.calls().map((call) => call.command)).toEqual(['ADD', 'DEL']);
    } finally {
      bridge.remove();
    }
  });
});
