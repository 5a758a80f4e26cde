// A whole route network: core's reconcile loop (lease watch, 10 s check, wake-ups) driving the passes of
// createRouteReconciler. host-gw is exactly this; ipip is this on its own tunnel device.
import { runLeaseReconcileLoop } from '@flannel-ts/core';
import type { Lease, LeaseRules, Logger, Network, SubnetManager } from '@flannel-ts/core';
import { createRouteReconciler } from './route-reconciler.js';
import type { RouteReconcileReport, RouteReconcilerOptions } from './route-reconciler.js';

/** Options of {@link createRouteNetwork}. */
export interface RouteNetworkOptions extends RouteReconcilerOptions {
  readonly subnetManager: SubnetManager;
  readonly logger: Logger;
  /** The node's lease. */
  readonly lease: Lease;
  /** MTU for workloads (`FLANNEL_MTU`). */
  readonly mtu: number;
  /** Periodic check interval, default 10 000 ms (flannel's `routeCheckRetries`). */
  readonly checkIntervalMs?: number;
  /** Replaces the periodic timer (tests push ticks by hand). */
  readonly ticks?: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** More "re-check everything" sources (a deleted device…). */
  readonly fullPassTriggers?: ReadonlyArray<(signal: AbortSignal) => AsyncIterable<unknown>>;
  /** Called after each pass. */
  readonly onReconcile?: (report: RouteReconcileReport) => void;
  /**
   * What remote leases must meet before they get a route (core's `leaseRulesFor(config, lease)`: SubnetLen,
   * inside Network, clear of the own subnet, unicast PublicIP). Default: the own lease only.
   */
  readonly leaseRules?: LeaseRules;
}

/**
 * The running half of a route-per-lease backend. The backend creates its device (if any), acquires the
 * lease and hands over `routeFor`; the network keeps one route per remote lease of its type, marked
 * `proto 70`, repairs deleted routes at every check, removes routes of gone leases, and never touches a
 * route that is not provably its own ({@link isOwnedRoute}).
 *
 * @example
 * ```ts
 * return createRouteNetwork({
 *   netlink, subnetManager, logger, lease, mtu: ext.mtu, backendType: 'host-gw',
 *   families: [{ family: 4, network, ownSubnet: lease.subnet, device: { index: ext.index, owned: false } }],
 *   routeFor: (remote, family) => ({ family, destination: remote.subnet!.toString(), gateway: remote.attributes.publicIP }),
 * });
 * ```
 */
export function createRouteNetwork(options: RouteNetworkOptions): Network {
  return {
    lease: options.lease,
    mtu: options.mtu,
    async run(signal) {
      const reconciler = createRouteReconciler(options);
      await runLeaseReconcileLoop<RouteReconcileReport>({
        lease: options.lease,
        subnetManager: options.subnetManager,
        logger: options.logger,
        signal,
        ...(options.checkIntervalMs === undefined ? {} : { checkIntervalMs: options.checkIntervalMs }),
        ...(options.ticks === undefined ? {} : { ticks: options.ticks }),
        ...(options.fullPassTriggers === undefined ? {} : { fullPassTriggers: options.fullPassTriggers }),
        ...(options.onReconcile === undefined ? {} : { onReconcile: options.onReconcile }),
        ...(options.leaseRules === undefined ? {} : { leaseRules: options.leaseRules }),
        // Lease events do not wait for the periodic check's route dump (see route-reconciler.ts).
        splitFullPasses: true,
        pass: (pass) => reconciler.pass(pass),
      });
    },
  };
}
