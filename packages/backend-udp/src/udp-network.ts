// The running half of a udp network: starts the forwarder over the TUN and socket, then turns lease events
// into route changes posted to it while traffic flows (flannel's processSubnetEvents: Added → set route,
// Removed → delete route). A changed PublicIP arrives as an `added` event for the same subnet and replaces
// the route. When the signal aborts the forwarder stops and the TUN and socket close, as flannel's Run does:
// a TUN is not persistent, so the device goes with the process. A network that never ran (start-up failed
// after registering) closes them in `close()`, so an embedding process that lives on does not keep the TUN.
// Leases are untrusted: only those that pass core's lease rules (SubnetLen, inside Network, clear of our
// subnet, a unicast PublicIP not ours) and win their conflicts get a route (watchScreenedLeaseEvents);
// flanneld routes every lease.
import { FlannelError, watchScreenedLeaseEvents } from '@flannel-ts/core';
import type { Lease, LeaseEvent, LeaseRules, Logger, Network, SubnetManager } from '@flannel-ts/core';
import type { Forwarder, ForwarderOptions, ForwarderStarter, TunDevice, UdpSocketHandle } from './udp-boundaries.js';
import { udpLeaseRoute, udpRouteKey } from './udp-lease-routes.js';
import type { UdpRoute } from './udp-route-table.js';

/** What one batch of lease events changed. */
export interface UdpRoutesReport {
  /** Routes in the forwarder after the batch. */
  readonly routes: number;
  readonly set: number;
  readonly deleted: number;
  /** Leases skipped (no IPv4 subnet, unusable PublicIP). */
  readonly ignored: number;
}

/** Options of {@link createUdpNetwork}. */
export interface UdpNetworkOptions {
  readonly subnetManager: SubnetManager;
  readonly logger: Logger;
  readonly lease: Lease;
  readonly mtu: number;
  readonly port: number;
  readonly tun: TunDevice;
  readonly socket: UdpSocketHandle;
  readonly startForwarder: ForwarderStarter;
  readonly forwarder: Omit<ForwarderOptions, 'tunFd' | 'socketFd'>;
  /** Called after each batch of lease events is in effect in the forwarder. */
  readonly onRoutes?: (report: UdpRoutesReport) => void;
  /** Called with the running forwarder (benchmarks read its stats). */
  readonly onForwarder?: (forwarder: Forwarder) => void;
  /** What remote leases must meet before they get a route (core's `leaseRulesFor(config, lease)`); default: the own lease only. */
  readonly leaseRules?: LeaseRules;
  /** Least time between two re-assertions of an overwritten own lease; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
}

/** Creates the running half of a udp network. */
export function createUdpNetwork(options: UdpNetworkOptions): Network {
  const { logger, lease } = options;
  let started = false;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await options.socket.close();
    await options.tun.close();
  };
  return {
    lease,
    mtu: options.mtu,
    async close() {
      // Once run started, its own end closes them (the forwarder reads the descriptors until it stops).
      if (!started) await close().catch((error: unknown) => logger.warn({ err: error }, `error while closing the TUN and socket: ${(error as Error).message}`));
    },
    async run(signal) {
      started = true;
      if (signal.aborted) return close();
      let forwarder: Forwarder;
      try {
        forwarder = await options.startForwarder({ ...options.forwarder, tunFd: options.tun.fd, socketFd: options.socket.fd });
      } catch (error) {
        await close();
        throw error;
      }
      options.onForwarder?.(forwarder);
      const programmed = new Map<string, UdpRoute>();
      const logged = new Set<string>();

      const apply = async (events: readonly LeaseEvent[]): Promise<void> => {
        let set = 0;
        let deleted = 0;
        let ignored = 0;
        for (const event of events) {
          const key = udpRouteKey(event.lease);
          if (key === undefined) continue;
          const existing = programmed.get(key);
          if (event.type === 'removed') {
            if (existing === undefined) continue;
            forwarder.deleteRoute(existing.network, existing.prefixLength);
            programmed.delete(key);
            deleted += 1;
            logger.info({ subnet: key }, 'udp route removed');
            continue;
          }
          const result = udpLeaseRoute(event.lease, options.port);
          if (!result.ok) {
            ignored += 1;
            const id = `${key}|${result.reason}`;
            if (!logged.has(id)) {
              logged.add(id);
              logger.warn({ subnet: key }, `ignoring lease: ${result.reason}`);
            }
            if (existing !== undefined) {
              forwarder.deleteRoute(existing.network, existing.prefixLength);
              programmed.delete(key);
              deleted += 1;
            }
            continue;
          }
          if (existing !== undefined && existing.nextHop === result.route.nextHop && existing.port === result.route.port) continue;
          forwarder.setRoute(result.route);
          programmed.set(key, result.route);
          set += 1;
          logger.info({ subnet: key, publicIP: event.lease.attributes.publicIP }, 'udp route set');
        }
        await forwarder.sync();
        options.onRoutes?.({ routes: programmed.size, set, deleted, ignored });
      };

      const stopped = new AbortController();
      const stop = (): void => stopped.abort();
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      let failure: unknown;
      forwarder.exited.catch((error: unknown) => {
        failure = error;
        stop();
      });
      try {
        const batches = watchScreenedLeaseEvents({
          subnetManager: options.subnetManager,
          lease,
          signal: stopped.signal,
          logger,
          ...(options.leaseRules === undefined ? {} : { leaseRules: options.leaseRules }),
          ...(options.reassertIntervalMs === undefined ? {} : { reassertIntervalMs: options.reassertIntervalMs }),
        });
        for await (const events of batches) {
          await apply(events);
        }
      } catch (error) {
        failure ??= error;
      } finally {
        signal.removeEventListener('abort', stop);
        await forwarder.stop();
        await close();
      }
      if (failure !== undefined && !signal.aborted) {
        if (FlannelError.isInstance(failure)) throw failure;
        throw new FlannelError('BACKEND_FAILED', `the udp forwarder failed: ${(failure as Error).message}`, { cause: failure });
      }
    },
  };
}
