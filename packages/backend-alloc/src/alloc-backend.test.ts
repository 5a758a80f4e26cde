import { IpNet, silentLogger } from '@flannel-ts/core';
import type { SubnetManager } from '@flannel-ts/core';
import { createMemorySubnetManager, recordingLogger } from '@flannel-ts/core/testing';
import { describe, expect, it, vi } from 'vitest';
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

  it.each([
    ['a subnet manager that watches single leases', (manager: SubnetManager) => manager],
    ['a subnet manager that cannot watch a single lease (kube)', ({ watchLease: _unsupported, ...manager }: SubnetManager) => manager as SubnetManager],
  ])('runs until its signal aborts on %s', async (_name, adapt) => {
    const manager = adapt(createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"alloc"}}' }));
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
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    controller.abort();
    await done;
    expect(finished).toBe(true);
  });

  it('re-asserts its own lease when someone else overwrites it, watching only that lease', async () => {
    const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"alloc"}}' });
    const watchLeases = vi.spyOn(manager, 'watchLeases');
    const logger = recordingLogger();
    const backend = await createAllocBackend({ logger })({
      subnetManager: manager,
      externalInterface: { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1' },
      logger: silentLogger,
    });
    const network = await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    const controller = new AbortController();
    const done = network.run(controller.signal);
    try {
      manager.putLease({ subnet: IpNet.parse('10.5.200.0/24'), attributes: { publicIP: '192.168.1.200' } }); // another node: not our business
      manager.putLease({ subnet: network.lease.subnet!, attributes: { publicIP: '192.168.1.66' } });
      const own = () => manager.listLeases().find((lease) => lease.subnet?.equals(network.lease.subnet));
      await vi.waitFor(() => expect(own()?.attributes).toEqual({ publicIP: '192.168.1.1' }));
      expect(logger.messages('error')).toEqual([
        `this node's lease ${network.lease.subnet} was overwritten by someone else (PublicIP 192.168.1.66); re-asserting this node's attributes`,
      ]);
      expect(watchLeases).not.toHaveBeenCalled();
    } finally {
      controller.abort();
      await done;
    }
  });
});
