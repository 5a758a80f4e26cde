// --ip-blackhole-route (flanneld, for Canal): keep a blackhole route for the node's own subnet(s), re-added
// every --iptables-resync period, so traffic to unused addresses of the subnet is dropped locally instead of
// following the default route.
import type { IpNet, Logger } from '@flannel-ts/core';
import type { Netlink, Route } from '@flannel-ts/netlink';

/** Options of {@link keepBlackholeRoutes}. */
export interface KeepBlackholeRoutesOptions {
  readonly netlink: Pick<Netlink, 'replaceRoute'>;
  /** The lease's subnets. */
  readonly subnets: readonly IpNet[];
  readonly periodMs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The blackhole route for a subnet (`ip route replace blackhole 10.5.72.0/24`). */
export function blackholeRoute(subnet: IpNet): Route {
  return { family: subnet.family === 6 ? 6 : 4, destination: subnet.toString(), type: 'blackhole' };
}

/**
 * Replaces the blackhole route of each subnet now and every `periodMs` until `signal` aborts. Failures
 * are logged and retried at the next period, never thrown.
 *
 * @example
 * ```ts
 * void keepBlackholeRoutes({ netlink, subnets: [lease.subnet], periodMs: 5_000, logger, signal, sleep });
 * ```
 */
export async function keepBlackholeRoutes(options: KeepBlackholeRoutesOptions): Promise<void> {
  while (!options.signal.aborted) {
    for (const subnet of options.subnets) {
      try {
        await options.netlink.replaceRoute(blackholeRoute(subnet));
      } catch (error) {
        options.logger.warn({ err: error, subnet: subnet.toString() }, `could not add the blackhole route for ${subnet.toString()}`);
      }
    }
    await options.sleep(options.periodMs, options.signal);
  }
}
