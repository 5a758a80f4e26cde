// What `flannel-ts demo --kube` changes: the Kubernetes API server stand-in instead of etcd. Nodes are
// created as kube-controller-manager leaves them (a podCIDR each, no flannel annotations), net-conf.json is
// written where --net-config-path points, and each daemon runs `--kube-subnet-mgr` with NODE_NAME set, as
// the DaemonSet's pod would.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabHost } from '@flannel-ts/testlab';
import { startLabKubeApi } from './lab-kube-api.js';
import type { LabKubeApi } from './lab-kube-api.js';

/** Where the demo's leases live: `etcd` (default) or `kube` (the API server stand-in). */
export type DemoSubnetManager = 'etcd' | 'kube';

/** The kube side of a demo run. */
export interface KubeDemo {
  readonly api: LabKubeApi;
  /** The daemon's extra flags on `host`. */
  args(host: LabHost): string[];
  /** The daemon's environment on `host`. */
  env(host: LabHost): Record<string, string>;
  /** The node's flannel annotations as JSON (what `kubectl get node -o jsonpath='{.metadata.annotations}'` shows). */
  annotationsOf(host: LabHost): string | undefined;
  close(): Promise<void>;
}

/**
 * Starts the stand-in, creates one Node per host with podCIDR `10.5.<index>.0/24` inside `config.Network`,
 * and writes `config` as the net-conf.json every daemon reads.
 *
 * @example
 * ```ts
 * const kube = await startKubeDemo(lab, { Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } });
 * startLabNode(host, { …, args: kube.args(host), env: kube.env(host) });
 * ```
 */
export async function startKubeDemo(lab: Lab, config: object): Promise<KubeDemo> {
  const api = await startLabKubeApi(lab);
  const netConf = join(lab.tempDir, 'net-conf.json');
  await writeFile(netConf, JSON.stringify(config));
  for (const [index, host] of lab.hosts.entries()) {
    api.server.createNode({ name: host.name, podCIDR: `10.5.${index + 1}.0/24` });
  }
  return {
    api,
    args: () => ['--kube-subnet-mgr', `--kube-api-url=${api.hostUrl}`, `--net-config-path=${netConf}`],
    env: (host) => ({ ...(process.env as Record<string, string>), NODE_NAME: host.name }),
    annotationsOf(host) {
      const annotations = (api.server.getNode(host.name) as { metadata?: { annotations?: Record<string, string> } } | undefined)?.metadata?.annotations;
      if (annotations === undefined) return undefined;
      return JSON.stringify(Object.fromEntries(Object.entries(annotations).filter(([key]) => key.startsWith('flannel.alpha.coreos.com/'))));
    },
    close: () => api.close(),
  };
}
