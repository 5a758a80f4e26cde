import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import type { DaemonOptions } from './daemon-options.js';
import { main } from './main.js';
import type { MainDependencies } from './main.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], options: { env?: Record<string, string>; stdin?: string; dependencies?: MainDependencies } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([options.stdin]) }),
  };
  const status = await main(argv, io, options.dependencies);
  return { status, stdout, stderr };
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cli-main-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('flannel-ts config check', () => {
  it('prints the resolved vxlan example with flannel key names', async () => {
    const result = await run(['config', 'check', join(examples, 'vxlan.json')]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      EnableIPv4: true,
      EnableIPv6: false,
      EnableNFTables: false,
      Network: '10.5.0.0/16',
      SubnetMin: '10.5.1.0',
      SubnetMax: '10.5.255.0',
      SubnetLen: 24,
      Backend: { Type: 'vxlan', VNI: 1 },
    });
  });

  it.each(['host-gw.json', 'dual-stack.json'])('accepts examples/%s', async (name) => {
    const result = await run(['config', 'check', join(examples, name)]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('resolves the dual-stack example with both families', async () => {
    const parsed = JSON.parse((await run(['config', 'check', join(examples, 'dual-stack.json')])).stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({ EnableIPv6: true, IPv6Network: '2001:cafe:42::/56', IPv6SubnetLen: 64 });
  });

  it('reads stdin with "-"', async () => {
    const result = await run(['config', 'check', '-'], { stdin: '{"Network":"10.3.0.0/16","Backend":{"Type":"host-gw"}}' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Network: '10.3.0.0/16', Backend: { Type: 'host-gw' } });
  });

  it('prints warnings to stderr and still succeeds', async () => {
    const result = await run(['config', 'check'], { stdin: '{"Network":"10.3.0.0/16","Bogus":1,"Backend":{"Type":"vxlan"}}' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('warning: stdin: ');
    expect(result.stderr).toContain('Bogus');
  });

  it.each([
    { backend: { Type: 'extension', SubnetAddCommand: 5 }, message: 'Backend.SubnetAddCommand 5 is invalid: must be a string' },
    { backend: { Type: 'wireguard', Mode: 'both' }, message: 'Backend.Mode "both" is invalid: no valid Mode configured' },
    { backend: { Type: 'wireguard', PSK: 'hunter2' }, message: 'Backend.PSK is invalid: must be a base64 WireGuard key' },
  ])("checks the backend's own options: $message", async ({ backend, message }) => {
    const result = await run(['config', 'check'], { stdin: JSON.stringify({ Network: '10.3.0.0/16', Backend: backend }) });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('names a missing file', async () => {
    const path = join(directory, 'absent.json');
    const result = await run(['config', 'check', path]);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toBe(`flannel-ts: config check: network config file ${path} does not exist\n`);
  });

  it('reports an invalid config with its rule and exits 1', async () => {
    const path = join(directory, 'bad.json');
    await writeFile(path, '{"Network":"10.3.0.0/16","SubnetLen":31}');
    const result = await run(['config', 'check', path]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^flannel-ts: config check: .*SubnetLen 31 is invalid/u);
  });

  it('reports binary garbage without crashing', async () => {
    const path = join(directory, 'garbage.json');
    await writeFile(path, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x7b]));
    const result = await run(['config', 'check', path]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not valid JSON');
  });

  it('refuses a terminal on stdin and extra arguments', async () => {
    const terminal = Object.assign(Readable.from([]), { isTTY: true });
    let stderr = '';
    const status = await main(['config', 'check'], { stdout: { write: () => {} }, stderr: { write: (text: string) => (stderr += text) }, env: {}, stdin: terminal });
    expect(status).toBe(1);
    expect(stderr).toContain('stdin is a terminal');
    expect((await run(['config', 'check', 'a', 'b'])).status).toBe(2);
    expect((await run(['config', 'lint'])).status).toBe(2);
  });

  it('says once what stdin is for when it is a terminal', async () => {
    const terminal = Object.assign(Readable.from([]), { isTTY: true });
    let stderr = '';
    await main(['config', 'check'], { stdout: { write: () => {} }, stderr: { write: (text: string) => (stderr += text) }, env: {}, stdin: terminal });
    expect(stderr).toBe('flannel-ts: config check: the network config is read from stdin, but stdin is a terminal: give a FILE\n');
  });

  it('names the missing subcommand of a bare `config`', async () => {
    const result = await run(['config']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('flannel-ts: the config command needs a subcommand: flannel-ts config check [FILE|-]\n');
  });

  it('refuses a backend type the daemon does not ship, naming the supported ones', async () => {
    const result = await run(['config', 'check', '-'], { stdin: '{"Network":"10.3.0.0/16","Backend":{"Type":"ipip"}}' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^flannel-ts: config check: .*unknown backend type: ipip \(this flannel-ts supports alloc, extension, host-gw, udp, vxlan, wireguard\)/u);
  });

  it.each(['constructor', '__proto__'])('refuses the backend type %s (an Object.prototype member, not a backend)', async (type) => {
    const result = await run(['config', 'check', '-'], { stdin: `{"Network":"10.3.0.0/16","Backend":{"Type":"${type}"}}` });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`unknown backend type: ${type} (this flannel-ts supports`);
  });

  it('never prints a secret backend option (wireguard PSK): checked, then shown as [redacted]', async () => {
    const marker = 'psk-marker-that-must-never-be-printed!!';
    const psk = Buffer.from(marker.slice(0, 32)).toString('base64');
    const valid = await run(['config', 'check', '-'], { stdin: JSON.stringify({ Network: '10.3.0.0/16', Backend: { Type: 'wireguard', PSK: psk, Unknown: 1 } }) });
    expect(valid.status).toBe(0);
    expect(JSON.parse(valid.stdout).Backend).toMatchObject({ Type: 'wireguard', PSK: '[redacted]' });
    const invalid = [
      { Network: '10.3.0.0/16', Backend: { Type: 'wireguard', PSK: marker } },
      { Network: '10.3.0.0/16', Backend: { Type: 'wireguard', PSK: psk, Mode: 'bogus' } },
      { Network: '10.3.0.0/16', SubnetLen: 31, Backend: { Type: 'wireguard', PSK: psk } },
    ];
    const outputs = [valid, ...(await Promise.all(invalid.map((config) => run(['config', 'check', '-'], { stdin: JSON.stringify(config) }))))];
    outputs.push(await run(['config', 'check', '-'], { stdin: `{"Network":"10.3.0.0/16","Backend":{"Type":"wireguard","PSK":"${psk}",}}` }));
    expect(outputs.slice(1).map((each) => each.status)).toEqual([1, 1, 1, 1]);
    for (const output of outputs) {
      for (const secret of [psk, marker, marker.slice(0, 32)]) expect(output.stdout + output.stderr).not.toContain(secret);
    }
  });

  it('refuses the backend options the daemon refuses (VNI -1)', async () => {
    const result = await run(['config', 'check', '-'], { stdin: '{"Network":"10.3.0.0/16","Backend":{"Type":"vxlan","VNI":-1}}' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^flannel-ts: config check: .*VNI -1/u);
  });
});

describe('flannel-ts flags', () => {
  it('prints the version on stdout', async () => {
    const result = await run(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^v\d+\.\d+\.\d+/u);
  });

  it('prints help on stdout for -h', async () => {
    const result = await run(['-h']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('FLANNELD_ETCD_ENDPOINTS');
  });

  it('exits 2 naming a bad flag value', async () => {
    const result = await run([], { env: { FLANNELD_SUBNET_LEASE_RENEW_MARGIN: '0' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("flannel-ts: FLANNELD_SUBNET_LEASE_RENEW_MARGIN 0 is invalid: must be 1..1439\nRun 'flannel-ts --help' for usage.\n");
  });

  it('hands --kube-subnet-mgr to the daemon runner', async () => {
    let received: DaemonOptions | undefined;
    const result = await run(['--kube-subnet-mgr', '--kube-api-url=http://127.0.0.1:6443'], {
      dependencies: {
        runDaemon: async (options) => {
          received = options;
          return 0;
        },
      },
    });
    expect(result.status).toBe(0);
    expect(received?.kubeSubnetMgr).toBe(true);
    expect(received?.kubeApiUrl).toBe('http://127.0.0.1:6443');
  });

  it('hands validated options to the daemon runner and never logs the password', async () => {
    let received: DaemonOptions | undefined;
    const result = await run(['--ip-masq', '--etcd-password=hunter2'], {
      dependencies: {
        runDaemon: async (options, context) => {
          received = options;
          context.logger.info({ options }, 'starting');
          return 0;
        },
      },
    });
    expect(result.status).toBe(0);
    expect(received?.ipMasq).toBe(true);
    expect(received?.etcdPassword?.reveal()).toBe('hunter2');
    expect(result.stderr).toContain('CLI flags config');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('never shows credentials embedded in an etcd endpoint URL, nor the password in a runner error', async () => {
    const result = await run(['--etcd-endpoints=http://root:hunter2@10.0.0.1:2379', '--etcd-password=Passw0rd-42'], {
      dependencies: {
        runDaemon: async (options, context) => {
          expect(options.etcdEndpoints).toEqual(['http://10.0.0.1:2379']);
          context.logger.error('14 UNAVAILABLE: Name resolution failed for target dns:root:hunter2@10.0.0.1:2379');
          throw new Error('login refused for password Passw0rd-42 at http://root:hunter2@10.0.0.1:2379');
        },
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('credentials in an etcd endpoint URL are ignored');
    expect(result.stderr).not.toMatch(/hunter2|Passw0rd-42/u);
  });

  it('never shows credentials of an invalid etcd endpoint in the usage error', async () => {
    const result = await run(['--etcd-endpoints=ftp://root:hunter2@10.0.0.1:2379']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--etcd-endpoints');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('says the daemon is not available when no runner is plugged in', async () => {
    const result = await run([]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('daemon is not available');
  });

  it('turns a runner failure into exit 1 with the message', async () => {
    const result = await run([], { dependencies: { runDaemon: () => Promise.reject(new Error('etcd unreachable')) } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('etcd unreachable');
  });
});

describe('flannel-ts demo', () => {
  it('prints its usage without needing root', async () => {
    const result = await run(['demo', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: flannel-ts demo [--hosts N] [--backend vxlan|host-gw|udp|extension|wireguard]');
  });

  it('refuses a bad argument with exit 2', async () => {
    const result = await run(['demo', '--hosts', '1']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--hosts "1" is invalid: must be an integer 2..20');
  });
});

/** Relative modules and packages a source file imports statically (type-only imports erased). */
async function staticImports(file: string): Promise<{ local: string[]; packages: string[] }> {
  const source = await readFile(file, 'utf8');
  const local: string[] = [];
  const packages: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gmu)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.')) local.push(resolve(dirname(file), specifier.replace(/\.js$/u, '.ts')));
    else packages.push(specifier);
  }
  return { local, packages };
}

describe('module loading', () => {
  it('never loads the demo (testlab) on the daemon path', async () => {
    const source = fileURLToPath(new URL('./', import.meta.url));
    // The bin's entry plus what flanneldRunner imports on first use.
    const queue = [join(source, 'main.ts'), join(source, 'flanneld-runner.ts'), join(source, '../../agent/src/index.ts')];
    const seen = new Set<string>();
    const packages = new Set<string>();
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const imports = await staticImports(file);
      queue.push(...imports.local);
      for (const name of imports.packages) packages.add(name);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].filter((file) => file.includes('/demo/'))).toEqual([]);
    expect([...packages].filter((name) => name.includes('testlab'))).toEqual([]);
    expect(packages).toContain('@flannel-ts/subnet-etcd');
  });

  it('starts (--help, --version, flag errors) without the agent: only its logging entry point', async () => {
    const queue = [fileURLToPath(new URL('./main.ts', import.meta.url))];
    const seen = new Set<string>();
    const packages = new Set<string>();
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const imports = await staticImports(file);
      queue.push(...imports.local);
      for (const name of imports.packages) packages.add(name);
    }
    expect(packages).toContain('@flannel-ts/agent/logging');
    expect(packages).not.toContain('@flannel-ts/agent');
  });
});
