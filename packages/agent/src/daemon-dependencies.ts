import type { BackendDependencies, BackendFactory, Logger, NetworkConfig, SubnetManager } from '@flannel-ts/core';
import type { Netlink } from '@flannel-ts/netlink';
import type { TrafficManager, TrafficMode } from '@flannel-ts/traffic-rules';
import type { AgentReadyState } from './agent-events.js';
import type { AgentOptions } from './agent-options.js';
import type { HealthServer, HealthServerOptions } from './health-server.js';

/** What a backend's reconcile pass reports, reduced to what every backend has (vxlan's and host-gw's reports fit). */
export interface DataPathReport {
  /** `full`: a kernel dump and diff; anything else: a cheaper pass. */
  readonly mode: string;
  readonly operations: number;
  readonly failed: number;
  /** Devices recreated during the pass (vxlan); empty when the backend has none. */
  readonly recreated: readonly string[];
}

/**
 * Every boundary a backend may take: core's `BackendDependencies` (`@flannel-ts/core`) plus rtnetlink and the agent's
 * reconcile observer. A backend picks the ones it uses.
 */
export type DaemonBackendDependencies = BackendDependencies & {
  readonly netlink: Netlink;
  /** Told after each reconcile pass (the agent's `data-path-repaired` event); backends without passes ignore it. */
  readonly onReconcile?: (report: DataPathReport) => void;
};

/** One entry of the daemon's explicit backend map. */
export interface DaemonBackendEntry {
  /** Binds the backend's boundaries and returns its factory (`createVxlanBackend(dependencies)`). */
  readonly create: (dependencies: DaemonBackendDependencies) => BackendFactory;
  /**
   * Checks the config's `Backend` options without side effects, throwing `CONFIG_INVALID` naming the
   * option; run before anything is created (no device, no lease).
   */
  readonly validate?: (config: NetworkConfig) => void;
}

/**
 * Every boundary {@link runDaemon} touches, injected so the run loop is testable with the memory subnet
 * manager, `RecordingNetlink` and a fake traffic manager. `createFlanneldDependencies` builds the real ones.
 */
export interface DaemonDependencies {
  /** Creates the subnet manager (etcd) from the flags. Throwing exits 1 before anything else. */
  readonly createSubnetManager: (options: AgentOptions, logger: Logger) => SubnetManager | Promise<SubnetManager>;
  /** Opens rtnetlink on the node's namespace. */
  readonly createNetlink: () => Netlink | Promise<Netlink>;
  /** The non-kernel backend boundaries (commands, TUN, HTTP, credentials, keys); default: each refuses with `BACKEND_UNSUPPORTED`. */
  readonly backendDependencies?: Omit<BackendDependencies, 'logger'>;
  /** Backend type (lower case, as in the config) → entry. Unknown types exit 1. */
  readonly backends: Readonly<Record<string, DaemonBackendEntry>>;
  /** Creates flannel's traffic manager for the config's mode (`EnableNFTables`). */
  readonly createTrafficManager: (mode: TrafficMode, logger: Logger) => TrafficManager;
  /** Starts `/healthz` + `/readyz`; default: a `node:http` server ({@link startHealthServer}). */
  readonly startHealthServer?: (options: HealthServerOptions) => Promise<HealthServer>;
  /** Whether a path exists (the br_netfilter check); default `fs.access`. */
  readonly pathExists?: (path: string) => Promise<boolean>;
  /** Waits `ms` or until `signal` aborts (config retry, blackhole loop); default a timer. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told once subnet.env is written and the daemon is ready (tests, sd_notify). */
  readonly onReady?: (state: DaemonReadyState) => void;
}

/** What the daemon reports when it becomes ready (the agent's `ready` event). */
export type DaemonReadyState = AgentReadyState;
