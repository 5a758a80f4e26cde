// Test-only: a kube subnet manager over the API server stand-in, with levers for other nodes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpNet, LeaseAttributes, Logger } from '@flannel-ts/core';
import { createKubeClient } from '@flannel-ts/kube-client';
import { startFakeKubeApiServer, type FakeKubeApiServer, type FakeKubeApiServerOptions } from '@flannel-ts/kube-client/testing';
import { kubeAnnotations, type KubeAnnotationNames } from '../kube-annotations.js';
import { createKubeSubnetManager, type KubeSubnetManager } from '../kube-subnet-manager.js';
import type { KubeSubnetManagerOptions } from '../kube-subnet-manager-options.js';

/** The annotations flanneld writes for a lease (what AcquireLease leaves on a node). */
export function flannelAnnotations(attributes: LeaseAttributes, names: KubeAnnotationNames = kubeAnnotations()): Record<string, string> {
  return {
    [names.subnetKubeManaged]: 'true',
    [names.backendType]: attributes.backendType ?? '',
    [names.backendData]: attributes.backendData ?? 'null',
    [names.publicIP]: attributes.publicIP,
    ...(attributes.publicIPv6 !== undefined && { [names.publicIPv6]: attributes.publicIPv6, [names.backendV6Data]: attributes.backendV6Data ?? 'null' }),
  };
}

/** A test logger that keeps every line as `level message`. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (first: unknown, second?: unknown): void =>
      void lines.push(`${level} ${typeof first === 'string' ? first : String(second)}`);
  const logger = { lines, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger };
  return logger;
}

/** A stand-in, a net-conf file, and managers over them. */
export interface KubeHarness {
  readonly server: FakeKubeApiServer;
  readonly netConfigPath: string;
  setConfig(json: string): void;
  manager(options?: Partial<KubeSubnetManagerOptions>): KubeSubnetManager;
  /** Creates a peer node holding `subnet`/`ipv6Subnet`, annotated as flanneld would. */
  putPeer(name: string, lease: { readonly subnet?: IpNet; readonly ipv6Subnet?: IpNet; readonly attributes: LeaseAttributes }): void;
  close(): Promise<void>;
}

/** Starts a {@link KubeHarness}; the own node `self` is created with `ownPodCidrs` (none when empty). */
export async function startKubeHarness(
  ownPodCidrs: readonly string[] = ['10.5.1.0/24', 'fd00:5:0:1::/64'],
  serverOptions: FakeKubeApiServerOptions = {},
): Promise<KubeHarness> {
  const server = await startFakeKubeApiServer(serverOptions);
  const dir = mkdtempSync(join(tmpdir(), 'fts-subnet-kube-'));
  const netConfigPath = join(dir, 'net-conf.json');
  server.createNode({ name: 'self', ...(ownPodCidrs.length > 0 && { podCIDRs: ownPodCidrs }) });
  const managers: KubeSubnetManager[] = [];
  return {
    server,
    netConfigPath,
    setConfig: (json) => writeFileSync(netConfigPath, json),
    manager(options = {}) {
      const manager = createKubeSubnetManager({
        client: createKubeClient({ server: server.url, source: 'test' }),
        nodeName: 'self',
        netConfigPath,
        pollIntervalMs: 20,
        patchTimeoutMs: 500,
        reflectorBackoff: { initialMs: 10, maxMs: 50, jitter: 0.5 },
        ...options,
      });
      managers.push(manager);
      return manager;
    },
    putPeer(name, lease) {
      const cidrs = [lease.subnet?.toString(), lease.ipv6Subnet?.toString()].filter((c): c is string => c !== undefined);
      server.createNode({ name, podCIDRs: cidrs, annotations: { 'node.alpha.kubernetes.io/ttl': '0', ...flannelAnnotations(lease.attributes) } });
    },
    async close() {
      for (const manager of managers) await manager.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
