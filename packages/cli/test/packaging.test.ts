// What a user gets from npm: every package packed with `pnpm pack` (as `pnpm publish` would), installed
// with npm from the tarballs into an empty directory outside the workspace, then used the way the docs say:
// `npx flannel-ts`, `config check`, an ESM import of every entry point, and require() of every entry point
// (Node >= 20.19 loads ESM through require; an older Node must say the package is ESM-only). Needs the npm
// registry for third-party dependencies (ip-num, koffi, eventemitter3); one `npm install` for everything.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Manifest {
  name: string;
  version: string;
  license?: string;
  private?: boolean;
  engines?: { node?: string };
  publishConfig?: { access?: string };
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  bin?: Record<string, string>;
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const directories = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'package.json')));
const manifests = new Map(directories.map((name) => [name, JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as Manifest]));
const published = [...manifests.entries()].filter(([, manifest]) => manifest.private !== true);
/** `name/subpath` for every entry point of every published package. */
const entryPoints = published.flatMap(([, manifest]) =>
  Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`)),
);
/** Entry points that need an optional peer the install leaves out (the vitest suites). */
const needsPeer: Record<string, string> = { '@flannel-ts/core/testing/vitest': 'vitest' };

let directory: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'flannel-ts-packaging-'));
  const packed = join(directory, 'tarballs');
  if (published.some(([name]) => !existsSync(join(root, 'packages', name, 'dist')))) {
    await run('pnpm', ['-r', '--filter', './packages/**', 'build'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  }
  for (const [name, manifest] of published) {
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', packed], { cwd: join(root, 'packages', name) });
    const file = stdout.trim().split('\n').at(-1)!.trim();
    tarballs.set(manifest.name, file.startsWith('/') ? file : join(packed, file));
  }
  const project = join(directory, 'project');
  await run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'packaging-check', private: true }, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.values()], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
}, 600_000);

afterAll(() => {
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

const project = (): string => join(directory, 'project');
const packedManifest = async (name: string): Promise<Manifest> => {
  const { stdout } = await run('tar', ['-xzOf', tarballs.get(name)!, 'package/package.json']);
  return JSON.parse(stdout) as Manifest;
};

describe('the published packages', () => {
  it('each carry the LICENSE, metadata and ranges a registry user expects', async () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toContain('Apache License');
    for (const [, manifest] of published) {
      const { stdout: listing } = await run('tar', ['-tzf', tarballs.get(manifest.name)!]);
      expect([manifest.name, listing.split('\n')]).toEqual([manifest.name, expect.arrayContaining(['package/LICENSE', 'package/package.json'])]);
      const { stdout: packedLicense } = await run('tar', ['-xzOf', tarballs.get(manifest.name)!, 'package/LICENSE']);
      expect([manifest.name, packedLicense === license]).toEqual([manifest.name, true]);
      const packed = await packedManifest(manifest.name);
      expect(packed).toMatchObject({ license: 'Apache-2.0', publishConfig: { access: 'public' }, engines: { node: '>=20.19' } });
      expect([manifest.name, packed.repository !== undefined && packed.homepage !== undefined && packed.bugs !== undefined]).toEqual([manifest.name, true]);
      // pnpm pack turns `workspace:^` into `^<version>`: siblings are ranges, never exact pins.
      for (const [dependency, range] of Object.entries({ ...packed.dependencies, ...packed.peerDependencies })) {
        if (dependency.startsWith('@flannel-ts/') || dependency === 'flannel-ts') expect([manifest.name, dependency, range]).toEqual([manifest.name, dependency, expect.stringMatching(/^\^\d/u)]);
      }
    }
  });

  it('use one koffi range', () => {
    const ranges = new Set(published.map(([, manifest]) => manifest.dependencies?.koffi).filter((range) => range !== undefined));
    expect(ranges.size).toBe(1);
  });

  it('publish the command as the unscoped flannel-ts, without the test lab on the PATH', async () => {
    const cli = await packedManifest('flannel-ts');
    expect(cli.bin).toEqual({ 'flannel-ts': './bin/flannel-ts.js' });
    expect(Object.keys(cli.dependencies ?? {})).not.toContain('@flannel-ts/testlab');
    expect(cli.peerDependenciesMeta?.['@flannel-ts/testlab']?.optional).toBe(true);
    expect([...manifests.values()].filter((manifest) => manifest.name === '@flannel-ts/cli')).toEqual([]);
  });
});

describe('installed with npm into an empty project', () => {
  it('runs npx flannel-ts --version', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'flannel-ts', '--version'], { cwd: project() });
    expect(stdout.trim()).toBe(`v${manifests.get('cli')!.version}`);
  });

  it('checks an example config with npx flannel-ts config check', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'flannel-ts', 'config', 'check', join(root, 'examples', 'vxlan.json')], { cwd: project() });
    expect(JSON.parse(stdout)).toMatchObject({ Backend: { Type: 'vxlan' } });
  });

  it('imports every entry point as ESM', async () => {
    const script = `
      const failures = [];
      for (const name of ${JSON.stringify(entryPoints)}) {
        try { await import(name); } catch (error) { failures.push(name + ': ' + error.message.split('\\n')[0]); }
      }
      console.log(JSON.stringify(failures));`;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project() });
    const failures = JSON.parse(stdout) as string[];
    // Only an entry point needing an optional peer that is not installed may fail, and it must name the peer.
    const unexpected = failures.filter((failure) => {
      const peer = needsPeer[failure.slice(0, failure.indexOf(':'))];
      return peer === undefined || !failure.includes(peer);
    });
    expect(unexpected).toEqual([]);
    expect(entryPoints.length).toBeGreaterThanOrEqual(published.length);
  });

  it('keeps class names through the build', async () => {
    const script = `
      const { FlannelError, IpNet } = await import('@flannel-ts/core');
      const { NetlinkError } = await import('@flannel-ts/netlink');
      const { SubnetEnvError } = await import('@flannel-ts/subnet-env');
      const { Agent } = await import('@flannel-ts/agent');
      console.log(JSON.stringify([FlannelError.name, IpNet.name, NetlinkError.name, SubnetEnvError.name, Agent.name, IpNet.parse('10.0.0.0/8', 4).constructor.name]));`;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project() });
    expect(JSON.parse(stdout)).toEqual(['FlannelError', 'IpNet', 'NetlinkError', 'SubnetEnvError', 'Agent', 'IpNet']);
  });

  it('require()s every entry point, or says it is ESM-only', async () => {
    const script = `
      const results = {};
      for (const name of ${JSON.stringify(entryPoints)}) {
        try { const loaded = require(name); results[name] = Object.keys(loaded).length > 0 ? 'ok' : 'empty'; }
        catch (error) { results[name] = error.code + ': ' + error.message.split('\\n')[0]; }
      }
      console.log(JSON.stringify(results));`;
    const { stdout } = await run('node', ['--no-warnings', '-e', script], { cwd: project() });
    const results = JSON.parse(stdout) as Record<string, string>;
    // On this Node (>= 20.19) require() of the ESM builds works: nothing falls back to the ESM-only message.
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (major > 20 || (major === 20 && minor >= 19)) {
      expect(Object.entries(results).filter(([name, result]) => result !== 'ok' && needsPeer[name] === undefined)).toEqual([]);
    }
    for (const name of entryPoints) {
      const result = results[name]!;
      const peer = needsPeer[name];
      const fine = result === 'ok' || /ES ?Module|ESM/iu.test(result) || (peer !== undefined && result.includes(peer));
      expect([name, fine ? 'ok' : result]).toEqual([name, 'ok']);
    }
  });
});
