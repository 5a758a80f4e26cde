import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installCni } from './install-cni.js';

const CONFLIST = JSON.stringify({ name: 'cbr0', cniVersion: '0.3.1', plugins: [{ type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } }, { type: 'portmap', capabilities: { portMappings: true } }] });

describe('installCni', () => {
  let dir: string;
  let artifacts: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flannel-ts-install-cni-'));
    artifacts = join(dir, 'dist');
    mkdirSync(artifacts);
    writeFileSync(join(artifacts, 'flannel.cjs'), '#!/usr/bin/env node\n// script\n');
    writeFileSync(join(dir, 'cni-conf.json'), CONFLIST);
    chmodSync(join(dir, 'cni-conf.json'), 0o644);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const install = (extra: object = {}) => installCni({ binDir: join(dir, 'bin'), conf: join(dir, 'cni-conf.json'), confDir: join(dir, 'net.d'), artifactsDir: artifacts, ...extra });

  it('installs the node script as an executable named flannel and the conflist as 10-flannel.conflist', () => {
    const result = install();
    expect(result).toEqual({ plugin: { path: join(dir, 'bin', 'flannel'), kind: 'script', changed: true }, conflist: { path: join(dir, 'net.d', '10-flannel.conflist'), changed: true } });
    expect(readFileSync(join(dir, 'bin', 'flannel'), 'utf8')).toBe('#!/usr/bin/env node\n// script\n');
    expect(statSync(join(dir, 'bin', 'flannel')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'net.d', '10-flannel.conflist'), 'utf8')).toBe(CONFLIST);
    expect(statSync(join(dir, 'net.d', '10-flannel.conflist')).mode & 0o777).toBe(0o644);
  });

  it('prefers the self-contained executable when it was built', () => {
    writeFileSync(join(artifacts, 'flannel-sea'), 'ELF');
    expect(install().plugin.kind).toBe('sea');
    expect(readFileSync(join(dir, 'bin', 'flannel'), 'utf8')).toBe('ELF');
    expect(install({ kind: 'script' }).plugin).toMatchObject({ kind: 'script', changed: true });
  });

  it('is idempotent: a second run changes nothing and leaves no temporary files', () => {
    install();
    expect(install()).toMatchObject({ plugin: { changed: false }, conflist: { changed: false } });
    expect(readdirSync(join(dir, 'bin'))).toEqual(['flannel']);
    expect(readdirSync(join(dir, 'net.d'))).toEqual(['10-flannel.conflist']);
  });

  it('replaces a changed file in place', () => {
    install();
    writeFileSync(join(dir, 'cni-conf.json'), CONFLIST.replace('cbr0', 'cbr1'));
    expect(install().conflist).toMatchObject({ changed: true });
    expect(readFileSync(join(dir, 'net.d', '10-flannel.conflist'), 'utf8')).toContain('cbr1');
  });

  it('checks the conflist before writing anything', () => {
    writeFileSync(join(dir, 'cni-conf.json'), '{"name":"cbr0","plugins":[{"type":"bridge"}]}');
    expect(() => install()).toThrow(`conflist ${join(dir, 'cni-conf.json')} is invalid: no plugin has "type": "flannel"`);
    expect(() => statSync(join(dir, 'bin'))).toThrow();
  });

  it('says how to build a missing artifact', () => {
    expect(() => install({ kind: 'sea' })).toThrow('was not built: run pnpm --filter @flannel-ts/cni-plugin build:sea');
  });
});
