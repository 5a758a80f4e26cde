// Design note — the alloc backend (flannel's pkg/backend/alloc).
//
// Lease only: it acquires a subnet for the node, publishing `{PublicIP}` with no BackendType (exactly as
// flannel, so kube-mode peers recognise it), and programs nothing. Someone else (a cloud route
// controller, a CNI plugin) routes the subnets. MTU is the interface MTU. `run` watches the own lease's key
// alone (core's watchOwnLease) until abort, so an overwritten own lease is re-asserted as every other backend
// does; flannel's alloc does nothing with leases (pkg/backend/alloc/alloc.go).
import { silentLogger, throwIfAborted, watchOwnLease } from '@flannel-ts/core';
import type { Backend, BackendContext, BackendDependencies, BackendFactory, Network } from '@flannel-ts/core';

/** The boundaries alloc takes from the daemon's set (`BackendDependencies` (`@flannel-ts/core`)): a logger at most (it programs nothing). */
export type AllocBackendDependencies = Partial<Pick<BackendDependencies, 'logger'>>;

/** Options of the alloc backend. */
export type AllocBackendOptions = AllocBackendDependencies;

/**
 * The alloc backend factory.
 *
 * @example
 * ```ts
 * const backends = { alloc: createAllocBackend() };
 * const network = await (await backends.alloc(context)).registerNetwork({ config });
 * network.mtu; // the external interface's MTU
 * ```
 */
export function createAllocBackend(options: AllocBackendOptions = {}): BackendFactory {
  return (context: BackendContext): Backend => {
    const logger = (options.logger ?? context.logger ?? silentLogger).child({ backend: 'alloc' });
    const external = context.externalInterface;
    return {
      specificationVersion: 'v1',
      type: 'alloc',
      async registerNetwork({ previous, signal }) {
        throwIfAborted(signal);
        const lease = await context.subnetManager.acquireLease(
          { publicIP: external.publicIP ?? external.address ?? '0.0.0.0' },
          { ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) },
        );
        logger.info({ subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString() }, 'alloc lease acquired');
        const network: Network = {
          lease,
          mtu: external.mtu,
          run: (runSignal) => watchOwnLease({ subnetManager: context.subnetManager, lease, signal: runSignal, logger }),
        };
        return network;
      },
    };
  };
}
