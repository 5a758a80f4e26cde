// The Kubernetes API server stand-in (`@flannel-ts/kube-client/testing`) made reachable from testlab hosts:
// shared by `flannel-ts demo --kube`, the kube end-to-end tests and the kube daemon benchmark.
//
// The stand-in runs in this process (tests drive it: nodes, faults, history), so it listens in the root
// namespace on the lab's root link (`lab.rootLink`, a /30 of our own). Hosts cannot route there (the root
// namespace must not learn a route to the underlay, which other labs reuse), so a small TCP forwarder runs
// inside the underlay namespace on the bridge address — every host's default gateway — and relays each
// connection to the stand-in. Stopping the forwarder is an API server outage as the hosts see it: open
// connections are reset and new ones refused.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Lab } from '@flannel-ts/testlab';
import type { FakeKubeApiServer } from '@flannel-ts/kube-client/testing';

/** Where hosts reach the API server: port 6443 on the underlay bridge address. */
export const LAB_KUBE_API_PORT = 6443;

// `node -e FORWARDER bind port targetHost targetPort`: one pipe per connection; prints "listening".
const FORWARDER = `
const net = require('node:net');
const [bind, port, host, target] = process.argv.slice(1);
net.createServer((client) => {
  const upstream = net.connect(Number(target), host);
  client.pipe(upstream).on('error', () => upstream.destroy());
  upstream.pipe(client).on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}).listen(Number(port), bind, () => console.log('listening'));
`;

/** A server in front of the stand-in (a benchmark's cache of the node list), listening on `host`. */
export interface LabKubeApiFront {
  readonly port: number;
  close(): Promise<void>;
}

/** Options of {@link startLabKubeApi}. */
export interface LabKubeApiOptions {
  /** Starts a server in front of the stand-in on `host`; the forwarder relays to it instead of the stand-in. */
  readonly front?: (server: FakeKubeApiServer, host: string) => Promise<LabKubeApiFront>;
}

/** The stand-in as the lab's hosts see it. */
export interface LabKubeApi {
  readonly server: FakeKubeApiServer;
  /** `--kube-api-url` for the daemons (`http://<bridge address>:6443`). */
  readonly hostUrl: string;
  /** Starts an outage: the forwarder is killed (connections reset, new ones refused). */
  stopForwarding(): Promise<void>;
  /** Ends the outage. */
  startForwarding(): Promise<void>;
  close(): Promise<void>;
}

function startForwarder(lab: Lab, target: { host: string; port: number }): Promise<ChildProcess> {
  const child = spawn(
    'ip',
    ['netns', 'exec', lab.underlay.netns, process.execPath, '-e', FORWARDER, lab.underlay.gateway, String(LAB_KUBE_API_PORT), target.host, String(target.port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the API forwarder exited ${String(code)}: ${stderr.trim()}`)));
    child.once('error', reject);
  });
}

async function stopForwarder(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Starts the stand-in and its forwarder for `lab`. The lab must have its root link (created with etcd:
 * `createLab({ etcd: true })`).
 *
 * @example
 * ```ts
 * const api = await startLabKubeApi(lab);
 * api.server.createNode({ name: 'h1', podCIDR: '10.5.1.0/24' });
 * startLabNode(h1, { …, args: ['--kube-subnet-mgr', `--kube-api-url=${api.hostUrl}`] });
 * ```
 */
export async function startLabKubeApi(lab: Lab, options: LabKubeApiOptions = {}): Promise<LabKubeApi> {
  const link = lab.rootLink;
  if (link === undefined) throw new Error('the lab has no root link: create it with etcd (createLab({ etcd: true }))');
  const { startFakeKubeApiServer } = await import('@flannel-ts/kube-client/testing');
  const server = await startFakeKubeApiServer({ host: link.rootAddress });
  let front: LabKubeApiFront | undefined;
  let forwarder: ChildProcess | undefined;
  let target = { host: link.rootAddress, port: server.port };
  try {
    front = await options.front?.(server, link.rootAddress);
    if (front !== undefined) target = { host: link.rootAddress, port: front.port };
    forwarder = await startForwarder(lab, target);
  } catch (error) {
    await front?.close();
    await server.close();
    throw error;
  }
  return {
    server,
    hostUrl: `http://${lab.underlay.gateway}:${LAB_KUBE_API_PORT}`,
    stopForwarding: async () => {
      await stopForwarder(forwarder);
      forwarder = undefined;
    },
    startForwarding: async () => {
      if (forwarder === undefined) forwarder = await startForwarder(lab, target);
    },
    close: async () => {
      await stopForwarder(forwarder);
      forwarder = undefined;
      await front?.close();
      await server.close();
    },
  };
}
