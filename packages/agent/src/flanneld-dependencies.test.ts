import type { Logger } from '@flannel-ts/core';
import { FlannelError, parseNetworkConfig } from '@flannel-ts/core';
import { startFakeKubeApiServer } from '@flannel-ts/kube-client/testing';
import type { FakeKubeApiServer } from '@flannel-ts/kube-client/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentOptions } from './agent-options.js';
import type { DaemonDependencies } from './daemon-dependencies.js';
import { createSubnetManager, FLANNELD_BACKENDS } from './flanneld-dependencies.js';
import { checkBackendOptions } from './preflight-checks.js';

function recordingLogger(lines: string[]): Logger {
  const at = (first: string | Record<string, unknown>, second?: string): void => {
    lines.push(typeof first === 'string' ? first : (second ?? ''));
  };
  const logger: Logger = { trace: at, debug: at, info: at, warn: at, error: at, child: () => logger };
  return logger;
}

let server: FakeKubeApiServer;
beforeEach(async () => {
  server = await startFakeKubeApiServer();
});
afterEach(async () => {
  await server.close();
});

describe('createSubnetManager', () => {
  it('opens the Kubernetes subnet manager with --kube-subnet-mgr and logs it as flanneld does', async () => {
    server.createNode({ name: 'node-a', podCIDR: '10.244.1.0/24' });
    const lines: string[] = [];
    const options = agentOptions({ kubeSubnetMgr: true, kubeApiUrl: server.url, netConfigPath: '/nonexistent/net-conf.json' });
    const manager = await createSubnetManager(options, recordingLogger(lines), { env: { NODE_NAME: 'node-a' }, userAgent: 'flannel-ts/test' });
    try {
      expect(manager.name).toBe('kube');
      expect(lines).toContain('Created subnet manager: Kubernetes Subnet Manager - node-a');
      // A missing net-conf.json is retryable: the daemon waits for the ConfigMap to be mounted.
      const missing = await manager.getNetworkConfig().catch((error: unknown) => error);
      expect(FlannelError.hasCode(missing, 'CONFIG_NOT_FOUND')).toBe(true);
      expect((missing as FlannelError).isRetryable).toBe(true);
      await manager.getStoredNodeData();
      expect(server.requests.some((request) => request.userAgent === 'flannel-ts/test')).toBe(true);
    } finally {
      await manager.close();
    }
  });

  it('rejects FLAG_INVALID naming the kubeconfig when it cannot be read', async () => {
    const options = agentOptions({ kubeSubnetMgr: true, kubeconfigFile: '/nonexistent/kubeconfig' });
    const error = await createSubnetManager(options, recordingLogger([]), { env: { NODE_NAME: 'node-a' } }).catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'FLAG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('fail to create kubernetes config');
  });

  it('opens the etcd subnet manager otherwise', async () => {
    const manager = await createSubnetManager(agentOptions({ etcdEndpoints: ['http://127.0.0.1:1'] }), recordingLogger([]));
    expect(manager.name).toBe('etcd');
    await manager.close();
  });
});

describe('FLANNELD_BACKENDS', () => {
  it('runs a config without Backend on udp, as flannel does', () => {
    const { config } = parseNetworkConfig('{"Network":"10.5.0.0/16"}');
    expect(config.backendType).toBe('udp');
    expect(() => checkBackendOptions(config, { backends: FLANNELD_BACKENDS } as DaemonDependencies)).not.toThrow();
  });

  it('checks udp options before anything is created', () => {
    const { config } = parseNetworkConfig('{"Network":"10.5.0.0/16","Backend":{"Type":"udp","Port":70000}}');
    expect(() => FLANNELD_BACKENDS.udp!.validate!(config)).toThrow('Backend.Port 70000 is invalid: must be an integer 1..65535');
  });
});
