import { silentLogger } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { describe, expect, it } from 'vitest';
import { createAllocBackend } from './alloc-backend.js';

describe('createAllocBackend', () => {
  it('acquires a lease with only PublicIP, no BackendType, and reports the interface MTU', async () => {
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"alloc"}}' });
    const backend = await createAllocBackend()({
      subnetManager: manager,
      externalInterface: { name: 'eth0', index: 2, mtu: 9000, address: '192.168.1.1' },
      logger: silentLogger,
    });
    expect(backend.type).toBe('alloc');
    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    expect(network.mtu).toBe(9000);
    expect(network.lease.attributes).toEqual({ publicIP: '192.168.1.1' });
    expect(manager.listLeases()).toEqual([network.lease]);
  });

  it('runs until its signal aborts', async () => {
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"alloc"}}' });
    const backend = await createAllocBackend()({
      subnetManager: manager,
      externalInterface: { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1' },
      logger: silentLogger,
    });
    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    const controller = new AbortController();
    let finished = false;
    const done = network.run(controller.signal).then(() => {
      finished = true;
    });
    await Promise.resolve();
    expect(finished).toBe(false);
    controller.abort();
    await done;
    expect(finished).toBe(true);
  });
});
