// What one pass of a route network does (flannel's RouteNetwork, pkg/backend/route_network.go, turned
// into reconcile passes). Full pass: per family, the routes every lease wants (the backend's routeFor)
// against a fresh route dump narrowed to the routes that are provably ours, applied in one batch, then
// the programmed model re-seeded. Incremental pass: only the destinations the lease events touched,
// against the model, without a dump. Leases the backend cannot route are logged once per reason.
// A full pass is split (core's `splitFullPasses`): it dumps the routes, then calls `beginApply()` and only
// then reads the leases, lays what incremental passes wrote meanwhile over its dump (`KernelJournal`) and
// applies. flannel's RouteNetwork (pkg/backend/route_network.go) re-adds missing routes every 10 s in a
// goroutine of its own, beside its event handling; here too a lease event never waits for the check's dump.
import type { Lease, LeaseReconcilePass, Logger } from '@flannel-ts/core';
import { NetlinkNotFoundError } from '@flannel-ts/netlink';
import type { Family, Netlink, NetlinkOperation, Route } from '@flannel-ts/netlink';
import { KernelJournal } from './kernel-journal.js';
import { diffRouteChanges, diffRoutes } from './route-diff.js';
import { routeAddressKey, routeDestinationKey } from './route-keys.js';
import { OnceLog } from './once-log.js';
import { ChangeSummary } from './change-summary.js';
import { ownedRoutes } from './route-ownership.js';
import type { RouteOwnership } from './route-ownership.js';
import { FLANNEL_ROUTE_PROTOCOL } from './route-protocol.js';
import type { RouteFor, RouteNetworkFamily } from './route-network-types.js';

/** The netlink operations a route network needs. */
export type RouteNetworkNetlink = Pick<Netlink, 'listRoutes' | 'batch'>;

/** What one reconcile pass of a route network did. */
export interface RouteReconcileReport {
  /** Operations sent to the kernel. */
  readonly operations: number;
  /** Operations the kernel refused (retried by a full pass). */
  readonly failed: number;
  /** Routes wanted (full pass) or programmed (incremental pass), over all families. */
  readonly routes: number;
  /** Set when the pass stopped early; the next pass is full. */
  readonly error?: Error;
  /** `full`: route dump + diff; `incremental`: only the destinations of the lease events since the last pass. */
  readonly mode: 'full' | 'incremental';
}

/** Options of {@link createRouteReconciler}. */
export interface RouteReconcilerOptions {
  readonly netlink: RouteNetworkNetlink;
  readonly logger: Logger;
  /** Leases of another `BackendType` get no route (flannel's "Ignoring non-<type> subnet", logged once). */
  readonly backendType: string;
  readonly families: readonly RouteNetworkFamily[];
  readonly routeFor: RouteFor;
  /** The mark written on every route and owned by it; default {@link FLANNEL_ROUTE_PROTOCOL}. */
  readonly protocol?: number;
}

/** The pass half of a route network, for a backend that runs its own loop (wireguard: peers, then routes). */
export interface RouteReconciler {
  /** Runs a full or incremental pass (a `before-leases` pass does nothing: the lease set is unknown). */
  pass(pass: LeaseReconcilePass): Promise<RouteReconcileReport>;
}

/**
 * Creates the reconcile pass of a route network; {@link createRouteNetwork} runs it on core's loop.
 *
 * @example
 * ```ts
 * const routes = createRouteReconciler({ netlink, logger, backendType: 'wireguard', families, routeFor });
 * await runLeaseReconcileLoop({ ...loopOptions, pass: async (pass) => (await peers.pass(pass), routes.pass(pass)) });
 * ```
 */
export function createRouteReconciler(options: RouteReconcilerOptions): RouteReconciler {
  const { netlink, logger } = options;
  const protocol = options.protocol ?? FLANNEL_ROUTE_PROTOCOL;
  // Per family (same order as options.families): the routes programmed, by destination key.
  const programmed: Array<Map<string, Route>> = options.families.map(() => new Map());
  // Refusals are logged once per family, subnet and reason; a full pass forgets those that are gone.
  const once = new OnceLog(logger);
  // Route changes at info: a full pass's at once, incremental ones summarised at most once a minute.
  const summary = new ChangeSummary(logger, { what: `${options.backendType} route(s) programmed` });
  // Per family, while a full pass reads the kernel: what incremental passes write meanwhile.
  let journals: KernelJournal[] | undefined;

  /** The routes `leases` want in `target`'s family, plus the target's extra routes when `withExtra`. */
  const desiredFor = (leases: readonly Lease[], target: RouteNetworkFamily, withExtra: boolean): Route[] => {
    const { family } = target;
    const routes: Route[] = [];
    const note = (lease: Lease, reason: string, level: 'debug' | 'warn'): void => {
      const subnet = subnetOf(lease, family)?.toString() ?? subnetOf(lease, family === 4 ? 6 : 4)?.toString();
      once.log(`${family}|${subnet}|${reason}`, level, { subnet }, `ignoring lease: ${reason}`);
    };
    for (const lease of leases) {
      if (lease.attributes.backendType !== options.backendType) {
        note(lease, `BackendType ${JSON.stringify(lease.attributes.backendType ?? '')} is not ${options.backendType}`, 'warn');
        continue;
      }
      if (subnetOf(lease, family) === undefined) continue;
      const result = options.routeFor(lease, family);
      if (result === undefined) continue;
      if ('refused' in result) {
        note(lease, result.refused, result.level ?? 'warn');
        continue;
      }
      routes.push(stamp(result, target));
    }
    if (withExtra) for (const route of target.extraRoutes ?? []) routes.push(stamp(route, target));
    return routes;
  };

  const stamp = (route: Route, target: RouteNetworkFamily): Route => ({
    ...route,
    family: target.family,
    index: route.index ?? target.device.index,
    protocol: route.protocol ?? protocol,
  });

  /**
   * Sends `ops` in one batch and logs each result (each change at debug; a refusal at warn once per
   * operation, destination and errno, then at debug). Returns the destination keys whose operation failed.
   */
  const apply = async (ops: readonly NetlinkOperation[], mode: 'full' | 'incremental'): Promise<Set<string>> => {
    const refused = new Set<string>();
    if (ops.length === 0) return refused;
    const results = await netlink.batch(ops);
    let programmedCount = 0;
    let removedCount = 0;
    results.forEach((result, i) => {
      const op = ops[i]!;
      const route = 'route' in op ? op.route : undefined;
      if (result.ok) {
        if (op.op === 'deleteRoute') removedCount += 1;
        else programmedCount += 1;
        logger.debug({ destination: route?.destination, gateway: route?.gateway }, op.op === 'deleteRoute' ? 'route removed' : 'route programmed');
        return;
      }
      if (mode === 'full' && op.op === 'deleteRoute' && NetlinkNotFoundError.isInstance(result.error)) {
        // Already gone (an incremental pass beside this full pass, or someone else, deleted it): what was wanted.
        logger.debug({ destination: route?.destination, gateway: route?.gateway }, 'stale route already gone');
        return;
      }
      refused.add(route === undefined ? '' : routeDestinationKey(route.destination));
      const errno = (result.error as { errnoName?: string }).errnoName ?? result.error.message;
      once.log(
        `refused|${op.op}|${route?.destination}|${errno}`,
        'warn',
        { op: op.op, destination: route?.destination, errno },
        `could not ${op.op} ${route?.destination}: ${result.error.message} (retried at every check; logged once)`,
      );
    });
    summary.add(programmedCount, removedCount, mode);
    return refused;
  };

  /** Which routes of `target`'s family are ours; without `desired`, every route that could be (for the read phase). */
  const ownershipOf = (target: RouteNetworkFamily, desired?: readonly Route[]): RouteOwnership => ({
    family: target.family,
    index: target.device.index,
    // Whatever the leases, only a route on the device, into the network and not the own subnet can be ours.
    deviceOwned: desired === undefined || target.device.owned,
    network: target.network,
    ownSubnet: target.ownSubnet,
    protocol,
    knownGateways: new Set((desired ?? []).flatMap((route) => (route.gateway === undefined ? [] : [routeAddressKey(route.gateway)]))),
  });

  const full = async (pass: LeaseReconcilePass): Promise<RouteReconcileReport> => {
    let operations = 0;
    let failed = 0;
    let routes = 0;
    journals = options.families.map(() => new KernelJournal());
    try {
      // Read phase: incremental passes may run meanwhile (recorded in `journals`).
      const dumped: Route[][] = [];
      for (const target of options.families) dumped.push(ownedRoutes(await netlink.listRoutes({ family: target.family }), ownershipOf(target)));
      // Apply phase: alone from here on; the leases are read now, after every incremental pass so far.
      await pass.beginApply?.();
      const written = journals;
      journals = undefined;
      once.beginFullPass();
      const leases = pass.leases;
      for (const [i, target] of options.families.entries()) {
        const desired = desiredFor(leases, target, true);
        const actual = written[i]!.routes(ownedRoutes(dumped[i]!, ownershipOf(target, desired)));
        const ops = diffRoutes(desired, actual);
        const refused = await apply(ops, 'full');
        routes += desired.length;
        operations += ops.length;
        failed += refused.size;
        const model = programmed[i]!;
        model.clear();
        for (const route of desired) {
          const key = routeDestinationKey(route.destination);
          if (!refused.has(key)) model.set(key, route);
        }
      }
      once.endFullPass();
      return { operations, failed, routes, mode: 'full' };
    } catch (error) {
      pass.requestFull();
      logger.warn({ err: error }, `${options.backendType} route reconcile failed: ${(error as Error).message}; retrying at the next check`);
      return { operations, failed, routes, mode: 'full', error: error as Error };
    } finally {
      journals = undefined;
    }
  };

  const changes = async (pass: LeaseReconcilePass): Promise<RouteReconcileReport> => {
    let operations = 0;
    let failed = 0;
    let firstError: Error | undefined;
    for (const [i, target] of options.families.entries()) {
      // The destinations of this family the events touched, each with its latest lease (none: removed).
      const touched = new Map<string, Lease | undefined>();
      for (const event of pass.events) {
        const subnet = subnetOf(event.lease, target.family);
        if (subnet !== undefined) touched.set(subnet.toString(), event.type === 'added' ? event.lease : undefined);
      }
      if (touched.size === 0) continue;
      const model = programmed[i]!;
      const current = [...touched.values()].filter((lease): lease is Lease => lease !== undefined);
      try {
        const desired = desiredFor(current, target, false);
        const ops = diffRouteChanges(desired, model, touched.keys());
        journals?.[i]?.record(ops);
        const refused = await apply(ops, 'incremental');
        operations += ops.length;
        failed += refused.size;
        for (const key of touched.keys()) model.delete(key);
        for (const route of desired) {
          const key = routeDestinationKey(route.destination);
          if (!refused.has(key)) model.set(key, route);
        }
      } catch (error) {
        firstError ??= error as Error;
        logger.warn({ err: error }, `${options.backendType} route update failed: ${(error as Error).message}; running a full pass`);
      }
    }
    if (failed > 0 || firstError !== undefined) pass.requestFull();
    const routes = programmed.reduce((sum, model) => sum + model.size, 0);
    return { operations, failed, routes, mode: 'incremental', ...(firstError ? { error: firstError } : {}) };
  };

  return {
    async pass(pass) {
      if (pass.kind === 'before-leases') return { operations: 0, failed: 0, routes: 0, mode: 'full' };
      return pass.kind === 'incremental' ? changes(pass) : full(pass);
    },
  };
}

function subnetOf(lease: Lease, family: Family) {
  return family === 6 ? lease.ipv6Subnet : lease.subnet;
}
