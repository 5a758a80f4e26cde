// The event loop of a host-gw network, on core's runLeaseReconcileLoop. The first pass after the lease
// snapshot, every snapshot, the periodic check (flannel's 10 s routeCheck) and the pass after a failure
// are full: re-list the routes, restore missing ones, remove stale ones and re-seed the model of what is
// programmed. Lease events in between take the fast path: only the changed subnets' routes, diffed against
// that model, in one batch, without a route dump.
import { runLeaseReconcileLoop } from '@flannel-ts/core';
import type { IpNet, Lease, LeaseReconcilePass, Logger, Network, SubnetManager } from '@flannel-ts/core';
import type { Family, Netlink, NetlinkOperation, Route } from '@flannel-ts/netlink';
import { diffHostGwChanges, hostGwRouteKey } from './host-gw-programmed.js';
import type { HostGwProgrammed } from './host-gw-programmed.js';
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
  /** Remote routes wanted (full pass) or programmed (incremental pass), over all families. */
  readonly routes: number;
  /** Set when the pass stopped early; the next pass is full. */
  readonly error?: Error;
  /**
   * `full`: route dump + diff (first pass, snapshots, periodic check, after a failure);
   * `incremental`: only the subnets of the lease events since the last pass, against the programmed model.
   */
  readonly mode: 'full' | 'incremental';
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
      const logged = new Set<string>();
      // Per family (same order as options.families): the routes programmed.
      const programmed: HostGwProgrammed[] = options.families.map(() => new Map());

      const desiredFor = (leases: readonly Lease[], family: Family): readonly Route[] => {
        const desired = desiredHostGwRoutes(leases, { family, externalIndex: options.externalIndex });
        for (const { lease, reason, level } of desired.ignored) {
          const subnet = (family === 6 ? lease.ipv6Subnet : lease.subnet)?.toString();
          const id = `${family}|${subnet}|${reason}`;
          if (logged.has(id)) continue;
          logged.add(id);
          logger[level]({ subnet }, `ignoring lease: ${reason}`);
        }
        return desired.routes;
      };

      /** Sends `ops` in one batch and logs each result; returns the destinations whose operation failed. */
      const apply = async (ops: readonly NetlinkOperation[]): Promise<{ failed: number; refused: Set<string> }> => {
        const refused = new Set<string>();
        let failed = 0;
        if (ops.length === 0) return { failed, refused };
        const results = await netlink.batch(ops);
        results.forEach((result, i) => {
          const op = ops[i]!;
          const route = 'route' in op ? op.route : undefined;
          if (result.ok) {
            logger.info({ destination: route?.destination, gateway: route?.gateway }, op.op === 'deleteRoute' ? 'route removed' : 'route programmed');
            return;
          }
          failed += 1;
          refused.add(route?.destination ?? '');
          logger.warn({ op: op.op, destination: route?.destination, err: result.error }, `could not ${op.op} ${route?.destination}: ${result.error.message}`);
        });
        return { failed, refused };
      };

      /** Full path: list the routes, diff them against every lease, apply, re-seed the model. */
      const reconcile = async (pass: LeaseReconcilePass): Promise<HostGwReconcileReport> => {
        let operations = 0;
        let failed = 0;
        let routes = 0;
        try {
          for (const [i, target] of options.families.entries()) {
            const desired = desiredFor(pass.leases, target.family);
            const actual = ownedHostGwRoutes(await netlink.listRoutes({ family: target.family }), {
              ...target,
              externalIndex: options.externalIndex,
            });
            const ops = diffHostGwRoutes(desired, actual);
            routes += desired.length;
            const { failed: refusals, refused } = await apply(ops);
            operations += ops.length;
            failed += refusals;
            const model = programmed[i]!;
            model.clear();
            for (const route of desired) if (!refused.has(route.destination)) model.set(route.destination, route);
          }
          return { operations, failed, routes, mode: 'full' };
        } catch (error) {
          pass.requestFull();
          logger.warn({ err: error }, `host-gw reconcile failed: ${(error as Error).message}; retrying at the next check`);
          return { operations, failed, routes, mode: 'full', error: error as Error };
        }
      };

      /** Fast path: only the subnets changed since the last pass, diffed against the model, in one batch per family. */
      const applyChanges = async (pass: LeaseReconcilePass): Promise<HostGwReconcileReport> => {
        let operations = 0;
        let failed = 0;
        let firstError: Error | undefined;
        for (const [i, target] of options.families.entries()) {
          // The subnets of this family the events touched, each with its latest lease (none: removed).
          const subnets = new Map<string, Lease | undefined>();
          for (const event of pass.events) {
            const key = hostGwRouteKey(event.lease, target.family);
            if (key !== undefined) subnets.set(key, event.type === 'added' ? event.lease : undefined);
          }
          if (subnets.size === 0) continue;
          const model = programmed[i]!;
          const current = [...subnets.values()].filter((lease): lease is Lease => lease !== undefined);
          try {
            const desired = desiredFor(current, target.family);
            const ops = diffHostGwChanges(desired, model, subnets.keys());
            const { failed: refusals, refused } = await apply(ops);
            operations += ops.length;
            failed += refusals;
            for (const key of subnets.keys()) model.delete(key);
            for (const route of desired) if (!refused.has(route.destination)) model.set(route.destination, route);
          } catch (error) {
            firstError ??= error as Error;
            logger.warn({ err: error }, `host-gw update failed: ${(error as Error).message}; running a full pass`);
          }
        }
        if (failed > 0 || firstError !== undefined) {
          logger.debug({ failed }, 'incremental host-gw update failed; running a full pass');
          pass.requestFull();
        }
        const routes = programmed.reduce((sum, model) => sum + model.size, 0);
        return { operations, failed, routes, mode: 'incremental', ...(firstError ? { error: firstError } : {}) };
      };

      // lease, subnetManager, logger, checkIntervalMs, ticks and onReconcile go to the loop as they are.
      await runLeaseReconcileLoop<HostGwReconcileReport>({
        ...options,
        signal,
        pass: (pass) => (pass.kind === 'incremental' ? applyChanges(pass) : reconcile(pass)),
      });
    },
  };
}
