import { FlannelError } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { deferredSubnetManager } from './deferred-subnet-manager.js';

describe('deferredSubnetManager', () => {
  it('delegates every call once the manager exists', async () => {
    const memory = createMemorySubnetManager();
    memory.setConfig('{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}');
    let resolve!: (manager: typeof memory) => void;
    const manager = deferredSubnetManager('kube', new Promise((r) => (resolve = r)));
    const config = manager.getNetworkConfig();
    resolve(memory);
    expect((await config).network?.toString()).toBe('10.5.0.0/16');
    const lease = await manager.acquireLease({ publicIP: '192.168.0.1' });
    const controller = new AbortController();
    for await (const result of manager.watchLeases({ signal: controller.signal })) {
      expect(result.kind === 'snapshot' && result.leases.map((l) => l.subnet?.toString())).toEqual([lease.subnet?.toString()]);
      controller.abort();
    }
    await manager.close();
    await manager.close();
  });

  it('rejects every call with the creation error', async () => {
    const failure = new FlannelError('FLAG_INVALID', 'env variables POD_NAME and POD_NAMESPACE must be set');
    const manager = deferredSubnetManager('kube', Promise.reject(failure));
    await expect(manager.getNetworkConfig()).rejects.toBe(failure);
    await expect(manager.watchLeases({ signal: new AbortController().signal })[Symbol.asyncIterator]().next()).rejects.toBe(failure);
    await manager.close();
  });
});
