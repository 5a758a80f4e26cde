import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlannelError } from '@flannel-ts/core';
import { startFakeKubeApiServer, type FakeKubeApiServer } from '@flannel-ts/kube-client/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openKubeSubnetManager } from './open-kube-subnet-manager.js';
import { recordingLogger } from './test-support/kube-harness.js';

let server: FakeKubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<FlannelError> {
  try {
    await promise;
  } catch (error) {
    if (FlannelError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a FlannelError');
}

describe('openKubeSubnetManager', () => {
  it('builds the client from --kube-api-url and finds the node through the own pod', async () => {
    server = await startFakeKubeApiServer();
    server.createNamespace('kube-flannel');
    server.createPod('kube-flannel', 'kube-flannel-ds-abc', 'node7');
    const manager = await openKubeSubnetManager({ apiUrl: server.url, env: { POD_NAME: 'kube-flannel-ds-abc', POD_NAMESPACE: 'kube-flannel' }, userAgent: 'flannel-ts/0.1.0 (linux/amd64) kubernetes/$Format' });
    expect([manager.nodeName, manager.description]).toEqual(['node7', 'Kubernetes Subnet Manager - node7']);
    expect(server.requests.at(-1)?.userAgent).toBe('flannel-ts/0.1.0 (linux/amd64) kubernetes/$Format');
    await manager.close();
  });

  it('uses a kubeconfig with a bearer token', async () => {
    server = await startFakeKubeApiServer({ users: [{ token: 't0k3n', name: 'flannel' }] });
    const dir = mkdtempSync(join(tmpdir(), 'fts-open-kube-'));
    try {
      const path = join(dir, 'kubeconfig');
      writeFileSync(path, `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "${server.url}"}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: t0k3n}}]\n`);
      server.createNode({ name: 'n1', podCIDR: '10.244.1.0/24' });
      const manager = await openKubeSubnetManager({ kubeconfigPath: path, env: { NODE_NAME: 'n1' } });
      expect(await manager.getStoredNodeData()).toEqual({});
      expect(server.requests.at(-1)?.user).toBe('flannel');
      await manager.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails like flanneld without any config, on a bad EVENT_QUEUE_DEPTH and on a bad prefix', async () => {
    const logger = recordingLogger();
    const noConfig = await rejection(openKubeSubnetManager({ env: { NODE_NAME: 'n1' }, logger }));
    expect(noConfig.message).toBe(
      'fail to create kubernetes config: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
    expect(logger.lines).toContain('warn Neither --kubeconfig nor --master was specified. Using the inClusterConfig. This might not work.');
    const depth = await rejection(openKubeSubnetManager({ apiUrl: 'http://127.0.0.1:1', env: { NODE_NAME: 'n1', EVENT_QUEUE_DEPTH: 'lots' } }));
    expect(depth.message).toBe('env EVENT_QUEUE_DEPTH=lots format error: must be an integer');
    const prefix = await rejection(openKubeSubnetManager({ apiUrl: 'http://127.0.0.1:1', env: { NODE_NAME: 'n1' }, annotationPrefix: 'org' }));
    expect(prefix.code).toBe('FLAG_INVALID');
  });
});
