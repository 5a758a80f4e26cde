// Helpers of the kube-mode end-to-end tests: a testlab cluster whose hosts run flannel-ts with
// `--kube-subnet-mgr` against the API server stand-in (`lab-kube-api.ts`), one pre-created Node per host
// with its podCIDR (as kube-controller-manager assigns them), kubectl pointed at the stand-in, and the
// annotations flannel writes (`pkg/subnet/kube/kube.go` AcquireLease) read back.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLab } from '@flannel-ts/testlab';
import type { Lab, LabHost, LabProcess } from '@flannel-ts/testlab';
import { startLabKubeApi } from '../src/demo/lab-kube-api.js';
import type { LabKubeApi } from '../src/demo/lab-kube-api.js';
import { startDaemon, waitReady } from './cluster.js';

const run = promisify(execFile);

/** flannel's default annotation prefix (`--kube-annotation-prefix`). */
export const ANNOTATION_PREFIX = 'flannel.alpha.coreos.com/';

/** A host's daemon in kube mode: its Node's podCIDR, first pod address and subnet.env. */
export interface KubeClusterNode {
  readonly host: LabHost;
  /** The Node's podCIDR, `10.5.1.0/24`. */
  readonly subnet: string;
  /** The podCIDR's first address, `10.5.1.1` (the pod bridge's, as the CNI bridge plugin sets it). */
  readonly pod: string;
  readonly subnetFile: string;
  process: LabProcess;
}

/** A lab, the stand-in and a kube-mode daemon on every host. */
export interface KubeCluster {
  readonly lab: Lab;
  readonly api: LabKubeApi;
  readonly nodes: KubeClusterNode[];
  /** Starts (or restarts) the daemon of `node` with the cluster's flags and `NODE_NAME=<host name>`. */
  start(node: KubeClusterNode): LabProcess;
  /** Runs kubectl against the stand-in; resolves to its stdout. */
  kubectl(...args: string[]): Promise<string>;
  /** The Node's annotations under flannel's prefix. */
  annotationsOf(name: string): Promise<Record<string, string>>;
  /** `lab`'s underlay address with last octet `last` (`192.168.x.<last>`). */
  underlayAddress(last: number): string;
  /** Stops the daemons, the stand-in and the lab. */
  close(): Promise<void>;
}

/** Options of {@link startKubeCluster}. */
export interface KubeClusterOptions {
  readonly hosts: number;
  /** The net-conf.json the daemons read (`--net-config-path`). */
  readonly netConf: object;
  /** Host index (from 0) → its Node's podCIDR, a /24 whose first address is the pod bridge's. */
  readonly podCidr: (index: number) => string;
}

/**
 * Creates a lab with the stand-in, a Node per host with its podCIDR, and a kube-mode daemon per host, and
 * waits until every daemon is ready. On failure the daemons' last log lines are printed and all is closed.
 *
 * @example
 * ```ts
 * const cluster = await startKubeCluster({ hosts: 3, netConf: { Network: '10.5.0.0/16' }, podCidr: (i) => `10.5.${i + 1}.0/24` });
 * await cluster.annotationsOf(cluster.nodes[0]!.host.name);
 * ```
 */
export async function startKubeCluster(options: KubeClusterOptions): Promise<KubeCluster> {
  const home = mkdtempSync(join(tmpdir(), 'fts-kube-e2e-'));
  // etcd only for the root link the stand-in listens on (the daemons never talk to it).
  const lab = await createLab({ hosts: options.hosts, etcd: true });
  let api: LabKubeApi | undefined;
  const nodes: KubeClusterNode[] = [];
  const netConf = join(lab.tempDir, 'net-conf.json');
  const start = (node: KubeClusterNode): LabProcess => {
    node.process = startDaemon(lab, node.host, node.subnetFile, ['--kube-subnet-mgr', `--kube-api-url=${api!.hostUrl}`, `--net-config-path=${netConf}`], {
      ...(process.env as Record<string, string>),
      NODE_NAME: node.host.name,
    });
    return node.process;
  };
  const close = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.process?.stop(5_000)));
    await api?.close();
    await lab.close();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    api = await startLabKubeApi(lab);
    writeFileSync(netConf, JSON.stringify(options.netConf));
    for (const [index, host] of lab.hosts.entries()) api.server.createNode({ name: host.name, podCIDR: options.podCidr(index) });
    for (const [index, host] of lab.hosts.entries()) {
      const subnet = options.podCidr(index);
      const node = { host, subnet, pod: subnet.replace(/\.0\/\d+$/, '.1'), subnetFile: join(lab.tempDir, `${host.name}-subnet.env`) } as KubeClusterNode;
      start(node);
      nodes.push(node);
    }
    await Promise.all(nodes.map((node) => waitReady(node.process)));
  } catch (error) {
    for (const node of nodes) console.error(`--- ${node.host.name} ---\n${node.process?.stderr.split('\n').slice(-20).join('\n')}`);
    await close();
    throw error;
  }
  const kubectl = async (...args: string[]): Promise<string> =>
    (
      await run('kubectl', ['--server', api.server.url, '--cache-dir', join(home, 'cache'), ...args], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'none') },
        timeout: 30_000,
      })
    ).stdout;
  return {
    lab,
    api,
    nodes,
    start,
    kubectl,
    annotationsOf: async (name) => {
      const all = JSON.parse(await kubectl('get', 'node', name, '-o', 'jsonpath={.metadata.annotations}')) as Record<string, string>;
      return Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith(ANNOTATION_PREFIX)));
    },
    underlayAddress: (last) => lab.hosts[0]!.address.replace(/\.\d+$/, `.${last}`),
    close,
  };
}
