// The stand-in checked by a client nobody here wrote: kubectl (1.32, /usr/bin/kubectl).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './index.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const haveKubectl = existsSync(KUBECTL);

let server: FakeKubeApiServer;
let home: string;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, ['--server', server.url, '--cache-dir', join(home, 'cache'), ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'none') },
    timeout: 60_000,
  });
  return stdout;
}

async function kubectlFails(...args: string[]): Promise<string> {
  try {
    await kubectl(...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded`);
}

describe.skipIf(!haveKubectl)('stand-in fidelity: kubectl', () => {
  beforeEach(async () => {
    server = await startFakeKubeApiServer();
    home = mkdtempSync(join(tmpdir(), 'fts-kubectl-'));
    server.createNode({ name: 'node1', podCIDR: '10.244.1.0/24' });
  });
  afterEach(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('gets nodes and reads fields with jsonpath', async () => {
    expect(await kubectl('get', 'nodes', '-o', 'name')).toBe('node/node1\n');
    expect(await kubectl('get', 'no', 'node1', '-o', 'jsonpath={.spec.podCIDRs[0]}')).toBe('10.244.1.0/24');
    expect(await kubectlFails('get', 'node', 'ghost')).toContain('Error from server (NotFound): nodes "ghost" not found');
  });

  it('pages a list with continue tokens when the stand-in paginates (kubectl get --chunk-size)', async () => {
    await server.close();
    server = await startFakeKubeApiServer({ paginateLists: true });
    for (let i = 1; i <= 5; i++) server.createNode({ name: `node${i}` });
    expect(await kubectl('get', 'nodes', '--chunk-size=2', '-o', 'name')).toBe([1, 2, 3, 4, 5].map((i) => `node/node${i}\n`).join(''));
    const lists = server.requests.filter((r) => r.path === '/api/v1/nodes');
    expect(lists.map((r) => [r.query['limit'], r.query['continue'] !== undefined])).toEqual([['2', false], ['2', true], ['2', true]]);
  });

  it('describes a node: its lease, conditions, podCIDRs, pods and events', async () => {
    const uid = (server.getNode('node1')?.['metadata'] as { uid: string }).uid;
    const post = async (path: string, body: unknown): Promise<number> =>
      (await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status;
    expect(await post('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { metadata: { name: 'node1' }, spec: { holderIdentity: 'node1', leaseDurationSeconds: 40, renewTime: '2026-12-04T20:00:00.000000Z' } })).toBe(201);
    expect(
      await post('/api/v1/namespaces/default/events', {
        metadata: { name: 'node1.flannel' },
        involvedObject: { kind: 'Node', name: 'node1', uid, apiVersion: 'v1' },
        reason: 'NodeReady',
        message: 'Node node1 status is now: NodeReady',
        type: 'Normal',
        source: { component: 'kubelet', host: 'node1' },
        count: 1,
        firstTimestamp: '2026-12-04T20:00:00Z',
        lastTimestamp: '2026-12-04T20:00:00Z',
      }),
    ).toBe(201);
    server.createPod('kube-system', 'kube-flannel-ds-x', 'node1');
    const text = await kubectl('describe', 'node', 'node1');
    expect(text).toMatch(/^Name:\s+node1$/m);
    expect(text).toMatch(/^Lease:\n\s+HolderIdentity:\s+node1$/m);
    expect(text).toMatch(/^\s+Ready\s+True\s.*KubeletReady/m);
    expect(text).toMatch(/^PodCIDRs:\s+10\.244\.1\.0\/24$/m);
    expect(text).toMatch(/^Non-terminated Pods:\s+\(1 in total\)\n(.*\n){2}\s+kube-system\s+kube-flannel-ds-x\s/m);
    expect(text).toMatch(/^\s+Normal\s+NodeReady\s.*kubelet\s+Node node1 status is now: NodeReady$/m);
  });

  it('annotates with a merge patch and removes with k-', async () => {
    await kubectl('annotate', 'node', 'node1', 'flannel.alpha.coreos.com/public-ip-overwrite=172.18.0.2');
    expect(server.getNode('node1')?.['metadata']).toMatchObject({ annotations: { 'flannel.alpha.coreos.com/public-ip-overwrite': '172.18.0.2' } });
    expect(server.requests.find((r) => r.method === 'PATCH')).toMatchObject({ contentType: 'application/merge-patch+json', query: { fieldManager: 'kubectl-annotate' } });
    await kubectl('annotate', 'node', 'node1', 'flannel.alpha.coreos.com/public-ip-overwrite-');
    expect(JSON.stringify(server.getNode('node1'))).not.toContain('public-ip-overwrite');
  });

  it('patches with --type=merge, strategic (default) and json', async () => {
    await kubectl('patch', 'node', 'node1', '--type=merge', '-p', '{"metadata":{"labels":{"a":"1"}}}');
    await kubectl('patch', 'node', 'node1', '-p', '{"metadata":{"labels":{"b":"2"}}}');
    await kubectl('patch', 'node', 'node1', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/c","value":"3"},{"op":"remove","path":"/metadata/labels/a"}]');
    expect(await kubectl('get', 'node', 'node1', '-o', 'jsonpath={.metadata.labels}')).toBe('{"b":"2","c":"3"}');
    expect(server.requests.filter((r) => r.method === 'PATCH').map((r) => r.contentType)).toEqual([
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/json-patch+json',
    ]);
  });

  it('refuses to change a set podCIDR with 422 Invalid', async () => {
    const stderr = await kubectlFails('patch', 'node', 'node1', '--type=merge', '-p', '{"spec":{"podCIDR":"10.244.9.0/24","podCIDRs":["10.244.9.0/24"]}}');
    expect(stderr).toContain('node updates may not change podCIDR except from "" to valid');
  });

  it('patches the status subresource: conditions merge by type, spec is kept', async () => {
    await kubectl(
      'patch', 'node', 'node1', '--subresource=status', '-p',
      '{"status":{"conditions":[{"type":"NetworkUnavailable","status":"False","reason":"FlannelIsUp","message":"Flannel is running on this node"}]},"spec":{"unschedulable":true}}',
    );
    expect(await kubectl('get', 'node', 'node1', '-o', 'jsonpath={.status.conditions[*].type}')).toBe('Ready NetworkUnavailable');
    expect(await kubectl('get', 'node', 'node1', '-o', 'jsonpath={.spec.unschedulable}')).toBe('');
    expect(server.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual(['/api/v1/nodes/node1/status']);
  });

  it('waits for a condition through a client-go reflector (list + watch with bookmarks)', async () => {
    const waiting = kubectl('wait', '--for=condition=NetworkUnavailable=false', 'node/node1', '--timeout=30s');
    for (let i = 0; i < 200 && server.openWatches() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    server.updateNode('node1', (node) => {
      (node['status'] as { conditions: unknown[] }).conditions.push({ type: 'NetworkUnavailable', status: 'False', reason: 'FlannelIsUp' });
    }, { status: true });
    expect(await waiting).toContain('node/node1 condition met');
    const watch = server.requests.find((r) => r.query['watch'] === 'true');
    expect(watch?.query).toMatchObject({ allowWatchBookmarks: 'true', fieldSelector: 'metadata.name=node1' });
  });

  it('applies a ConfigMap with validation (minimal OpenAPI v3) and rejects an unknown field', async () => {
    server.createNamespace('kube-flannel');
    const file = join(home, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n  net-conf.json: "{}"\n');
    expect(await kubectl('apply', '-f', file)).toContain('configmap/kube-flannel-cfg created');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\ndata:\n  net-conf.json: "{\\"Network\\":\\"10.244.0.0/16\\"}"\n');
    expect(await kubectl('apply', '-f', file)).toContain('configmap/kube-flannel-cfg configured');
    expect(await kubectl('get', 'cm', '-n', 'kube-flannel', 'kube-flannel-cfg', '-o', 'jsonpath={.data.net-conf\\.json}')).toBe('{"Network":"10.244.0.0/16"}');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: kube-flannel\ndatta: {}\n');
    expect(await kubectlFails('apply', '-f', file)).toContain('datta');
  });
});
