// The event loop of a host-gw network: lease events and a periodic check (flannel's 10 s routeCheck)
// wake one reconcile loop that re-lists routes and restores or removes them.
import { createWakeup, intervalTicks, LeaseWatcher } from '@flannel-ts/core';
import type { IpNet, Lease, Logger, Network, SubnetManager } from '@flannel-ts/core';
import type { Family, Netlink } from '@flannel-ts/netlink';
import { desiredHostGwRoutes, diffHostGwRoutes, ownedHostGwRoutes } from './host-gw-routes.js';

/** The netlink operations host-gw needs. */
export type HostGwNetlink = Pick<Netlink, 'listRoutes' | 'batch'>;

/** One address family host-gw routes. */
export interface HostGwFamily {
  readonly family: Family;
  readonly network: IpNet;
  readonly subnetLength: number;
  readonly ownSubnet: IpNet;
}

/** What one reconcile pass did. */
export interface HostGwReconcileReport {
  readonly operations: number;
  readonly failed: number;
  readonly routes: number;
  readonly error?: Error;
}

/** Options of {@link createHostGwNetwork}. */
export interface HostGwNetworkOptions {
  readonly netlink: HostGwNetlink;
  readonly subnetManager: SubnetManager;
  readonly logger: Logger;
  readonly lease: Lease;
  readonly mtu: number;
  readonly externalIndex: number;
  readonly families: readonly HostGwFamily[];
  /** Periodic check interval, default 10 000 ms. */
  readonly checkIntervalMs?: number;
  /** Replaces the periodic timer (tests push ticks by hand). */
  readonly ticks?: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** Called after each reconcile pass. */
  readonly onReconcile?: (report: HostGwReconcileReport) => void;
}

/** Creates the running half of a host-gw network. */
export function createHostGwNetwork(options: HostGwNetworkOptions): Network {
  const { netlink, logger } = options;
  return {
    lease: options.lease,
    mtu: options.mtu,
    async run(signal) {
      const inner = new AbortController();
      const stop = (): void => inner.abort();
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      const wakeup = createWakeup();
      const leases = new LeaseWatcher(options.lease);
      // Before the first snapshot the lease set is unknown: deleting entries then would break a restart.
      let leasesKnown = false;
      const logged = new Set<string>();
      let failure: unknown;

      const watchLeases = (async () => {
        try {
          for await (const result of options.subnetManager.watchLeases({ signal: inner.signal })) {
            leases.apply(result);
            leasesKnown = true;
            wakeup.notify();
          }
        } catch (error) {
          if (!inner.signal.aborted) {
            failure ??= error;
            stop();
          }
        }
      })();
      const ticks = (async () => {
        const source = options.ticks?.(inner.signal) ?? intervalTicks(options.checkIntervalMs ?? 10_000, inner.signal);
        try {
          for await (const _ of source) wakeup.notify();
        } catch (error) {
          if (!inner.signal.aborted) logger.warn({ err: error }, 'periodic route check stopped');
        }
      })();

      const reconcile = async (): Promise<HostGwReconcileReport> => {
        let operations = 0;
        let failed = 0;
        let routes = 0;
        try {
          for (const target of options.families) {
            const desired = desiredHostGwRoutes(leases.leases, { family: target.family, externalIndex: options.externalIndex });
            for (const { lease, reason, level } of desired.ignored) {
              const subnet = (target.family === 6 ? lease.ipv6Subnet : lease.subnet)?.toString();
              const id = `${target.family}|${subnet}|${reason}`;
              if (logged.has(id)) continue;
              logged.add(id);
              logger[level]({ subnet }, `ignoring lease: ${reason}`);
            }
            const actual = ownedHostGwRoutes(await netlink.listRoutes({ family: target.family }), {
              ...target,
              externalIndex: options.externalIndex,
            });
            const ops = diffHostGwRoutes(desired.routes, actual);
            routes += desired.routes.length;
            if (ops.length === 0) continue;
            const results = await netlink.batch(ops);
            operations += ops.length;
            results.forEach((result, i) => {
              const op = ops[i]!;
              const route = 'route' in op ? op.route : undefined;
              if (result.ok) {
                logger.info({ destination: route?.destination, gateway: route?.gateway }, op.op === 'deleteRoute' ? 'route removed' : 'route programmed');
                return;
              }
              failed += 1;
              logger.warn({ op: op.op, destination: route?.destination, err: result.error }, `could not ${op.op} ${route?.destination}: ${result.error.message}`);
            });
          }
          return { operations, failed, routes };
        } catch (error) {
          logger.warn({ err: error }, `host-gw reconcile failed: ${(error as Error).message}; retrying at the next check`);
          return { operations, failed, routes, error: error as Error };
        }
      };

      try {
        while (!inner.signal.aborted) {
          await wakeup.wait(inner.signal);
          if (inner.signal.aborted) break;
          if (!leasesKnown) continue;
          // Reconcile first: an optional call would skip evaluating its argument.
          const report = await reconcile();
          options.onReconcile?.(report);
        }
      } finally {
        stop();
        signal.removeEventListener('abort', stop);
        await Promise.allSettled([watchLeases, ticks]);
      }
      if (failure !== undefined) throw failure;
    },
  };
}
