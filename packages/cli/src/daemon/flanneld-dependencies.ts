// The real boundaries of the daemon: etcd, rtnetlink in the current namespace, iptables/nft through
// child processes, and the explicit map of backends this build ships (no registration by import). vxlan
// is loaded with the daemon (its options are checked before anything is created); host-gw, alloc and udp
// (flannel's default for a config without `Backend`) only when the config selects them.
import type { HostGwReconcileReport } from '@flannel-ts/backend-host-gw';
import { parseUdpOptions } from '@flannel-ts/backend-udp';
import { createVxlanBackend, parseVxlanOptions } from '@flannel-ts/backend-vxlan';
import { createNetlink } from '@flannel-ts/netlink';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { createTrafficManager } from '@flannel-ts/traffic-rules';
import type { DaemonBackendEntry, DaemonDependencies } from './daemon-dependencies.js';

/**
 * The backends `flannel-ts` ships, by config `Backend.Type`: `vxlan`, `host-gw`, `alloc`, `udp` (also a
 * config without `Backend`, as in flannel).
 *
 * @example
 * ```ts
 * const factory = FLANNELD_BACKENDS.vxlan!.create({ netlink, logger });
 * ```
 */
export const FLANNELD_BACKENDS: Readonly<Record<string, DaemonBackendEntry>> = Object.freeze({
  vxlan: {
    create: ({ netlink, logger }) => createVxlanBackend({ netlink, logger }),
    validate: (config) => {
      parseVxlanOptions(config.backend);
    },
  },
  'host-gw': {
    // onReconcile also keeps host-gw's loop running: its `onReconcile?.(await reconcile())` skips the
    // reconcile pass itself when no callback is given (optional call short-circuits its argument).
    create:
      ({ netlink, logger }) =>
      async (context) => {
        const { createHostGwBackend } = await import('@flannel-ts/backend-host-gw');
        const onReconcile = (report: HostGwReconcileReport): void =>
          logger.debug({ operations: report.operations, failed: report.failed, routes: report.routes }, 'host-gw reconcile pass');
        return createHostGwBackend({ netlink, logger, onReconcile })(context);
      },
  },
  alloc: {
    create:
      ({ logger }) =>
      async (context) =>
        (await import('@flannel-ts/backend-alloc')).createAllocBackend({ logger })(context),
  },
  udp: {
    create:
      ({ netlink, logger }) =>
      async (context) =>
        (await import('@flannel-ts/backend-udp')).createUdpBackend({ netlink, logger })(context),
    validate: (config) => {
      parseUdpOptions(config);
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
