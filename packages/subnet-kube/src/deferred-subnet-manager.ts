import type { SubnetManager } from '@flannel-ts/core';

/**
 * A `SubnetManager` (`@flannel-ts/core`) usable at once whose implementation is still being created (the kube manager needs
 * a request to find its node name): every call waits for `pending` and delegates; if `pending` rejects, every
 * call rejects with that error. Lets a synchronous factory (the daemon's `createSubnetManager`) return the
 * kube manager.
 *
 * @example
 * ```ts
 * createSubnetManager: (options, logger) => deferredSubnetManager('kube', openKubeSubnetManager({ ...flags, env: process.env, logger })),
 * ```
 */
export function deferredSubnetManager(name: string, pending: Promise<SubnetManager>): SubnetManager {
  // Observed here so a rejection is never "unhandled" before the first call.
  pending.catch(() => undefined);
  let closed = false;
  return {
    specificationVersion: 'v1',
    name,
    getNetworkConfig: async (options) => (await pending).getNetworkConfig(options),
    acquireLease: async (attributes, options) => (await pending).acquireLease(attributes, options),
    renewLease: async (lease, options) => (await pending).renewLease(lease, options),
    async *watchLeases(options) {
      yield* (await pending).watchLeases(options);
    },
    completeLease: async (lease, options) => (await pending).completeLease(lease, options),
    getStoredNodeData: async (options) => (await pending).getStoredNodeData(options),
    async close() {
      if (closed) return;
      closed = true;
      const manager = await pending.catch(() => undefined);
      await manager?.close();
    },
  };
}
