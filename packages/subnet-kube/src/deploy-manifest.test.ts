// deploy/kube-flannel-ts.yml is accepted by `kubectl apply` (with validation) against the API server stand-in,
// its RBAC is exactly what the manager uses, and its net-conf.json parses.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { parseNetworkConfig } from '@flannel-ts/core';
import { KUBE_FLANNEL_CLUSTER_ROLE, startFakeKubeApiServer } from '@flannel-ts/kube-client/testing';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MANIFEST = fileURLToPath(new URL('../../../deploy/kube-flannel-ts.yml', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary manifest paths
type Manifest = Record<string, any>;
const documents = parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJS() as Manifest);

describe('deploy/kube-flannel-ts.yml', () => {
  it('holds kube-flannel objects in kube-flannel order', () => {
    expect(documents.map((d) => `${d['kind']}/${d['metadata']['name']}`)).toEqual([
      'Namespace/kube-flannel',
      'ClusterRole/flannel',
      'ClusterRoleBinding/flannel',
      'ServiceAccount/flannel',
      'ConfigMap/kube-flannel-cfg',
      'DaemonSet/kube-flannel-ds',
    ]);
  });

  it('grants exactly the ClusterRole the manager is tested against (pods get, nodes get/list/watch, nodes/status patch)', () => {
    const role = documents.find((d) => d['kind'] === 'ClusterRole')!;
    expect(role['rules']).toEqual(KUBE_FLANNEL_CLUSTER_ROLE.map((rule) => ({ apiGroups: rule.apiGroups, resources: rule.resources, verbs: rule.verbs })));
  });

  it('ships a net-conf.json that parses, and probes /healthz and /readyz on the healthz port', () => {
    const config = documents.find((d) => d['kind'] === 'ConfigMap')!;
    expect(parseNetworkConfig(config['data']['net-conf.json']).config.network?.toString()).toBe('10.244.0.0/16');
    const container = documents.find((d) => d['kind'] === 'DaemonSet')!['spec']['template']['spec']['containers'][0];
    expect(container['args']).toEqual(['--ip-masq', '--kube-subnet-mgr', '--healthz-port=8081']);
    expect([container['livenessProbe']['httpGet']['path'], container['readinessProbe']['httpGet']['path']]).toEqual(['/healthz', '/readyz']);
  });

  it('installs the CNI plugin and its conflist with flannel-ts install-cni in one init container', () => {
    const spec = documents.find((d) => d['kind'] === 'DaemonSet')!['spec']['template']['spec'];
    const init = spec['initContainers'];
    expect(init).toHaveLength(1);
    expect(init[0]['command']).toEqual(['flannel-ts']);
    expect(init[0]['args']).toEqual(['install-cni', '--bin-dir', '/opt/cni/bin', '--conf', '/etc/kube-flannel/cni-conf.json', '--conf-dir', '/etc/cni/net.d']);
    expect(init[0]['volumeMounts'].map((mount: { name: string }) => mount.name)).toEqual(['cni-plugin', 'cni', 'flannel-cfg']);
    expect(init[0]['image']).toBe(spec['containers'][0]['image']);
  });

  it.skipIf(!existsSync('/usr/bin/kubectl'))('is accepted by kubectl apply with validation against the stand-in', async () => {
    const server = await startFakeKubeApiServer();
    const home = mkdtempSync(join(tmpdir(), 'fts-deploy-'));
    try {
      const kubectl = (...args: string[]) =>
        run('/usr/bin/kubectl', ['--server', server.url, '--cache-dir', join(home, 'cache'), ...args], {
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'none') },
          timeout: 60_000,
        });
      const { stdout } = await kubectl('apply', '-f', MANIFEST);
      expect(stdout.trim().split('\n')).toEqual([
        'namespace/kube-flannel created',
        'clusterrole.rbac.authorization.k8s.io/flannel created',
        'clusterrolebinding.rbac.authorization.k8s.io/flannel created',
        'serviceaccount/flannel created',
        'configmap/kube-flannel-cfg created',
        'daemonset.apps/kube-flannel-ds created',
      ]);
      const again = await kubectl('apply', '-f', MANIFEST);
      expect(again.stdout).toContain('daemonset.apps/kube-flannel-ds unchanged');
      expect(server.requests.some((r) => r.query['fieldValidation'] === 'Strict')).toBe(true);
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
