// Test-only: one real etcd member on a free loopback port, optionally serving TLS with client
// certificates. Three-member clusters come from @flannel-ts/testlab (plain http only).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** TLS material for {@link startLocalEtcd}: paths to PEM files. */
export interface LocalEtcdTls {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA client certificates must chain to; etcd then requires one. */
  readonly trustedCaFile: string;
  /** Client certificate and key `etcdctl` uses. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

/** A running single-member etcd. */
export interface LocalEtcd extends AsyncDisposable {
  readonly endpoint: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>;
  /** Runs `etcdctl` against this member and returns stdout. */
  etcdctl(args: readonly string[], extraFlags?: readonly string[]): Promise<string>;
  /** `user:password` for later `etcdctl` runs (health checks included), once auth is enabled. */
  useCredentials(credentials: string): void;
  close(): Promise<void>;
}

/** A loopback TCP port free right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Runs a command, resolving stdout; rejects with stderr on a non-zero exit. */
export function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')}: ${stderr}`))));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Starts etcd on 127.0.0.1 with a fresh temp data dir. */
export async function startLocalEtcd(options: { tls?: LocalEtcdTls; extraArgs?: readonly string[] } = {}): Promise<LocalEtcd> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fts-etcd-client-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `${options.tls ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const tls = options.tls;
  const tlsArgs = tls
    ? [`--cert-file=${tls.certFile}`, `--key-file=${tls.keyFile}`, `--trusted-ca-file=${tls.trustedCaFile}`, '--client-cert-auth']
    : [];
  let userFlags: string[] = [];
  const tlsFlags = tls ? [`--cacert=${tls.trustedCaFile}`, `--cert=${tls.clientCertFile}`, `--key=${tls.clientKeyFile}`] : [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const etcdctl = (args: readonly string[], extraFlags: readonly string[] = tlsFlags): Promise<string> =>
    run('etcdctl', [`--endpoints=${endpoint}`, '--dial-timeout=2s', ...userFlags, ...extraFlags, ...args]);
  const useCredentials = (credentials: string): void => {
    userFlags = [`--user=${credentials}`];
  };

  const start = async (): Promise<void> => {
    const spawned = spawn(
      'etcd',
      [
        '--name=m0',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${endpoint}`,
        `--advertise-client-urls=${endpoint}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=m0=${peer}`,
        '--log-level=error',
        '--logger=zap',
        ...tlsArgs,
        ...(options.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ETCDCTL_API: '3' } },
    );
    let stderr = '';
    spawned.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child = spawned;
    exited = new Promise((resolve) => spawned.once('exit', () => resolve()));
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (spawned.exitCode !== null) throw new Error(`etcd exited: ${stderr}`);
      try {
        await etcdctl(['endpoint', 'health']);
        return;
      } catch {
        // Polling a child process that has no readiness event: wait a little between probes.
        await delay(50);
      }
    }
    spawned.kill('SIGKILL');
    await exited;
    child = undefined;
    throw new Error(`etcd did not become healthy: ${stderr}`);
  };

  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
  };

  const close = async (): Promise<void> => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return { endpoint, stop, start, etcdctl, useCredentials, close, [Symbol.asyncDispose]: close };
}
