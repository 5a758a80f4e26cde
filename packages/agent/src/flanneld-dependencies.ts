// The real boundaries of the daemon: etcd, rtnetlink in the current namespace, iptables/nft through
// child processes, and the explicit map of backends this build ships (no registration by import). vxlan is
// loaded with the daemon (its options are checked before anything is created); host-gw, alloc, udp
// (flannel's default for a config without `Backend`), extension and wireguard only when the config selects
// them (their option parsers are small and loaded with the map, so their options are checked before
// anything is created too).
import type { HostGwReconcileReport } from '@flannel-ts/backend-host-gw';
import { parseExtensionOptions } from '@flannel-ts/backend-extension';
import { parseUdpOptions } from '@flannel-ts/backend-udp';
import { parseWireguardOptions } from '@flannel-ts/backend-wireguard';
import { checkVxlanConfig, createVxlanBackend } from '@flannel-ts/backend-vxlan';
import { createNetlink } from '@flannel-ts/netlink';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';
import { createTrafficManager } from '@flannel-ts/traffic-rules';
import type { Logger, SubnetManager } from '@flannel-ts/core';
import type { AgentOptions } from './agent-options.js';
import type { DaemonBackendEntry, DaemonDependencies } from './daemon-dependencies.js';

/**
 * The backends `flannel-ts` ships, by config `Backend.Type`: `vxlan`, `host-gw`, `alloc`, `udp` (also a
 * config without `Backend`, as in flannel), `extension`, `wireguard`.
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
      checkVxlanConfig(config);
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
  udp: {
    create:
      ({ netlink, logger }) =>
      async (context) =>
        (await import('@flannel-ts/backend-udp')).createUdpBackend({ netlink, logger })(context),
    validate: (config) => {
      parseUdpOptions(config);
    },
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

/** Settings of {@link createFlanneldDependencies}. */
export interface FlanneldDependenciesSettings {
  /** `NODE_NAME`, `POD_NAME`, `POD_NAMESPACE`, `KUBERNETES_SERVICE_*`… for the kube subnet manager; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `User-Agent` of the Kubernetes client (flanneld: `flanneld/<version> (linux/<arch>) kubernetes/$Format`). */
  readonly userAgent?: string;
}

/**
 * The subnet manager flanneld's `newSubnetManager` picks: the Kubernetes one with `--kube-subnet-mgr`
 * (loaded only then, so etcd users never import it), else etcd. Logs `Created subnet manager: …` as
 * flanneld does. A bad kubeconfig or annotation prefix rejects `FLAG_INVALID` (exit 1 before anything).
 *
 * @example
 * ```ts
 * const manager = await createSubnetManager(agentOptions({ kubeSubnetMgr: true }), logger, { env: process.env });
 * ```
 */
export async function createSubnetManager(
  options: AgentOptions,
  logger: Logger,
  settings: FlanneldDependenciesSettings = {},
): Promise<SubnetManager> {
  if (options.kubeSubnetMgr) {
    // pkg/subnet/kube/kube.go NewSubnetManager, called from main.go newSubnetManager.
    const { openKubeSubnetManager } = await import('@flannel-ts/subnet-kube');
    const manager = await openKubeSubnetManager({
      ...(options.kubeApiUrl === undefined ? {} : { apiUrl: options.kubeApiUrl }),
      ...(options.kubeconfigFile === undefined ? {} : { kubeconfigPath: options.kubeconfigFile }),
      annotationPrefix: options.kubeAnnotationPrefix,
      netConfigPath: options.netConfigPath,
      setNodeNetworkUnavailable: options.setNodeNetworkUnavailable,
      env: settings.env ?? process.env,
      userAgent: settings.userAgent ?? `flannel-ts (linux/${process.arch}) kubernetes/$Format`,
      logger: logger.child({ component: 'kube' }),
    });
    logger.info(`Created subnet manager: ${manager.description}`);
    return manager;
  }
  return createEtcdSubnetManager({
    endpoints: options.etcdEndpoints,
    prefix: options.etcdPrefix,
    ...(options.etcdKeyFile === undefined ? {} : { keyFile: options.etcdKeyFile }),
    ...(options.etcdCertFile === undefined ? {} : { certFile: options.etcdCertFile }),
    ...(options.etcdCaFile === undefined ? {} : { caFile: options.etcdCaFile }),
    ...(options.etcdUsername === undefined ? {} : { username: options.etcdUsername }),
    ...(options.etcdPassword === undefined ? {} : { password: options.etcdPassword.reveal() }),
    renewMargin: options.subnetLeaseRenewMarginMinutes,
    logger: logger.child({ component: 'etcd' }),
  });
}

/**
 * The daemon's real boundaries: the subnet manager ({@link createSubnetManager}: etcd, or Kubernetes with
 * `--kube-subnet-mgr`), rtnetlink in the current network namespace, {@link FLANNELD_BACKENDS}, and flannel's iptables/nftables traffic manager.
 *
 * @example
 * ```ts
 * const status = await runDaemon(options, { ...createFlanneldDependencies(), logger, signal });
 * ```
 */
export function createFlanneldDependencies(settings: FlanneldDependenciesSettings = {}): DaemonDependencies {
  return {
    createSubnetManager: (options, logger) => createSubnetManager(options, logger, settings),
    createNetlink: () => createNetlink(),
    backends: FLANNELD_BACKENDS,
    createTrafficManager: (mode, logger) => createTrafficManager({ mode, logger: logger.child({ component: 'traffic' }) }),
  };
}
