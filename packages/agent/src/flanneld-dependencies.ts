// The real boundaries of the daemon: etcd, rtnetlink in the current namespace, iptables/nft through
// child processes, and the explicit map of backends this build ships (no registration by import). vxlan,
// the default, is loaded with the daemon (its options are checked before anything is created); host-gw,
// alloc, extension and wireguard only when the config names them (extension's and wireguard's option
// parsers are small and loaded with the map, so their options are checked before anything is created too).
import type { HostGwReconcileReport } from '@flannel-ts/backend-host-gw';
import { parseExtensionOptions } from '@flannel-ts/backend-extension';
import { parseWireguardOptions } from '@flannel-ts/backend-wireguard';
import { createVxlanBackend, parseVxlanOptions } from '@flannel-ts/backend-vxlan';
import { createNetlink } from '@flannel-ts/netlink';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { createTrafficManager } from '@flannel-ts/traffic-rules';
import type { DaemonBackendEntry, DaemonDependencies } from './daemon-dependencies.js';

/**
 * The backends `flannel-ts` ships, by config `Backend.Type`: `vxlan`, `host-gw`, `alloc`, `extension`, `wireguard`.
 *
 * @example
 * ```ts
 * const factory = FLANNELD_BACKENDS.vxlan!.create({ ...unavailableBackendDependencies(), netlink, logger });
 * ```
 */
export const FLANNELD_BACKENDS: Readonly<Record<string, DaemonBackendEntry>> = Object.freeze({
  vxlan: {
    create: ({ onReconcile, ...dependencies }) => createVxlanBackend({ ...dependencies, ...(onReconcile === undefined ? {} : { onReconcile }) }),
    validate: (config) => {
      parseVxlanOptions(config.backend);
    },
  },
  'host-gw': {
    // Each pass's counts go to the debug log and to the agent's observer (`data-path-repaired`).
    create:
      ({ onReconcile: observe, ...dependencies }) =>
      async (context) => {
        const { createHostGwBackend } = await import('@flannel-ts/backend-host-gw');
        const { logger } = dependencies;
        const onReconcile = (report: HostGwReconcileReport): void => {
          logger.debug({ operations: report.operations, failed: report.failed, routes: report.routes }, 'host-gw reconcile pass');
          observe?.({ ...report, recreated: [] });
        };
        return createHostGwBackend({ ...dependencies, onReconcile })(context);
      },
  },
  alloc: {
    create:
      ({ logger }) =>
      async (context) =>
        (await import('@flannel-ts/backend-alloc')).createAllocBackend({ logger })(context),
  },
  extension: {
    create:
      ({ logger }) =>
      async (context) =>
        (await import('@flannel-ts/backend-extension')).createExtensionBackend({ logger })(context),
    validate: (config) => {
      parseExtensionOptions(config);
    },
  },
  wireguard: {
    // The kernel module first, wireguard-go when the kernel has no WireGuard (createDaemonWireguardDriver).
    // FLANNEL_WIREGUARD_GO_MOUNT_NAMESPACE=private runs wireguard-go in a mount namespace of its own
    // (several flannel-ts on one machine, e.g. the demo's lab hosts, each with a "flannel-wg").
    create:
      ({ netlink, logger }) =>
      async (context) => {
        const [{ createWireguardBackend }, { openGenericNetlink }, { createDaemonWireguardDriver }] = await Promise.all([
          import('@flannel-ts/backend-wireguard'),
          import('@flannel-ts/netlink'),
          import('./wireguard-driver.js'),
        ]);
        const mountNamespace = process.env.FLANNEL_WIREGUARD_GO_MOUNT_NAMESPACE === 'private' ? 'private' : 'shared';
        const driver = createDaemonWireguardDriver({ netlink, logger, openGenericNetlink: () => openGenericNetlink(), wireguardGo: { mountNamespace } });
        return createWireguardBackend({ netlink, logger, driver })(context);
      },
    validate: (config) => {
      parseWireguardOptions(config);
    },
  },
});

/**
 * The daemon's real boundaries: the etcd subnet manager from the `--etcd-*` flags, rtnetlink in the
 * current network namespace, {@link FLANNELD_BACKENDS}, and flannel's iptables/nftables traffic manager.
 *
 * @example
 * ```ts
 * const status = await runDaemon(options, { ...createFlanneldDependencies(), logger, signal });
 * ```
 */
export function createFlanneldDependencies(): DaemonDependencies {
  return {
    createSubnetManager: (options, logger) =>
      createEtcdSubnetManager({
        endpoints: options.etcdEndpoints,
        prefix: options.etcdPrefix,
        ...(options.etcdKeyFile === undefined ? {} : { keyFile: options.etcdKeyFile }),
        ...(options.etcdCertFile === undefined ? {} : { certFile: options.etcdCertFile }),
        ...(options.etcdCaFile === undefined ? {} : { caFile: options.etcdCaFile }),
        ...(options.etcdUsername === undefined ? {} : { username: options.etcdUsername }),
        ...(options.etcdPassword === undefined ? {} : { password: options.etcdPassword.reveal() }),
        renewMargin: options.subnetLeaseRenewMarginMinutes,
        logger: logger.child({ component: 'etcd' }),
      }),
    createNetlink: () => createNetlink(),
    backends: FLANNELD_BACKENDS,
    createTrafficManager: (mode, logger) => createTrafficManager({ mode, logger: logger.child({ component: 'traffic' }) }),
  };
}
