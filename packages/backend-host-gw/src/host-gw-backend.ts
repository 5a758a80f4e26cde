// Design note — the host-gw backend (flannel's pkg/backend/hostgw).
//
// No device and no encapsulation: every host must share one L2 segment. Per remote host (lease with
// BackendType "host-gw") one route, `<remote subnet> via <remote PublicIP> dev <external interface>`,
// for IPv4 and, when enabled, IPv6 (via PublicIPv6). The remote host forwards to its pods itself.
// Because the gateway must be the remote interface address, a PublicIP that differs from the
// interface address (NAT) is refused. MTU is the interface MTU. The routes are kept by the shared route
// network (@flannel-ts/route-network): reconciled on every lease event and re-checked every 10 s, so a
// deleted route comes back; marked `proto 70`, and only marked routes or routes via a lease's PublicIP
// are ever replaced or deleted (eth0 is shared with the operator's own routes).
import { FlannelError, leaseRulesFor, silentLogger, throwIfAborted } from '@flannel-ts/core';
import type { Backend, BackendContext, BackendDependencies, BackendFactory } from '@flannel-ts/core';
import { IpNet } from '@flannel-ts/core';
import { createRouteNetwork } from '@flannel-ts/route-network';
import type { RouteNetworkFamily, RouteNetworkNetlink, RouteReconcileReport } from '@flannel-ts/route-network';
import { hostGwRouteFor } from './host-gw-route-for.js';

/** The netlink operations host-gw needs. */
export type HostGwNetlink = RouteNetworkNetlink;

/** What one reconcile pass of a host-gw network did (the shared route network's report). */
export type HostGwReconcileReport = RouteReconcileReport;

/**
 * The boundaries host-gw takes from the daemon's set (`BackendDependencies` (`@flannel-ts/core`)): the kernel only,
 * and a logger (default: the daemon's logger from the `BackendContext`).
 */
export type HostGwBackendDependencies = Partial<Pick<BackendDependencies, 'logger'>> & { readonly netlink: HostGwNetlink };

/** Injected boundaries and tuning of the host-gw backend. */
export interface HostGwBackendOptions extends HostGwBackendDependencies {
  /** Periodic route check interval, default 10 000 ms (flannel's `routeCheckRetries`). */
  readonly checkIntervalMs?: number;
  /** Replaces the periodic timer (tests push ticks by hand). */
  readonly ticks?: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** Called after each reconcile pass of a running network. */
  readonly onReconcile?: (report: HostGwReconcileReport) => void;
}

/** flannel's refusal text, kept word for word. */
export const HOST_GW_NAT_MESSAGE =
  "your PublicIP differs from interface IP, meaning that probably you're on a NAT, which is not supported by host-gw backend";

/**
 * The host-gw backend factory. Throws `BACKEND_UNSUPPORTED` when the public IP differs from the
 * interface address (NAT), as flannel's constructor does.
 *
 * @example
 * ```ts
 * const backends = { 'host-gw': createHostGwBackend({ netlink }) };
 * const network = await (await backends['host-gw'](context)).registerNetwork({ config });
 * ```
 */
export function createHostGwBackend(options: HostGwBackendOptions): BackendFactory {
  return (context: BackendContext): Backend => {
    const ext = context.externalInterface;
    if (differs(ext.publicIP, ext.address) || differs(ext.publicIPv6, ext.address6)) {
      throw new FlannelError('BACKEND_UNSUPPORTED', HOST_GW_NAT_MESSAGE);
    }
    const logger = (options.logger ?? context.logger ?? silentLogger).child({ backend: 'host-gw' });
    return {
      specificationVersion: 'v1',
      type: 'host-gw',
      async registerNetwork({ config, previous, signal }) {
        throwIfAborted(signal);
        if (config.enableIPv4 && ext.address === undefined) {
          throw new FlannelError('BACKEND_FAILED', `host-gw needs an IPv4 address on ${ext.name}, and it has none`);
        }
        if (config.enableIPv6 && ext.address6 === undefined) {
          throw new FlannelError('BACKEND_FAILED', `host-gw needs an IPv6 address on ${ext.name}, and it has none`);
        }
        const lease = await context.subnetManager.acquireLease(
          {
            publicIP: ext.publicIP ?? ext.address ?? '0.0.0.0',
            ...(config.enableIPv6 ? { publicIPv6: ext.publicIPv6 ?? ext.address6 } : {}),
            backendType: 'host-gw',
          },
          { ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) },
        );
        // The external interface is shared with the host: only marked routes, or routes via a lease's PublicIP, are ours.
        const device = { index: ext.index, owned: false };
        const families: RouteNetworkFamily[] = [];
        if (config.enableIPv4) {
          if (lease.subnet === undefined || config.network === undefined) {
            throw new FlannelError('BACKEND_FAILED', 'the lease or config has no IPv4 subnet although IPv4 is enabled');
          }
          families.push({ family: 4, network: config.network, ownSubnet: lease.subnet, device });
        }
        if (config.enableIPv6) {
          if (lease.ipv6Subnet === undefined || config.ipv6Network === undefined) {
            throw new FlannelError('BACKEND_FAILED', 'the lease or config has no IPv6 subnet although IPv6 is enabled');
          }
          families.push({ family: 6, network: config.ipv6Network, ownSubnet: lease.ipv6Subnet, device });
        }
        logger.info({ subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), mtu: ext.mtu }, 'host-gw network registered');
        return createRouteNetwork({
          netlink: options.netlink,
          subnetManager: context.subnetManager,
          logger,
          lease,
          mtu: ext.mtu,
          backendType: 'host-gw',
          families,
          routeFor: hostGwRouteFor,
          leaseRules: leaseRulesFor(config, lease),
          ...(options.checkIntervalMs !== undefined ? { checkIntervalMs: options.checkIntervalMs } : {}),
          ...(options.ticks ? { ticks: options.ticks } : {}),
          ...(options.onReconcile ? { onReconcile: options.onReconcile } : {}),
        });
      },
    };
  };
}

function differs(publicIP: string | undefined, address: string | undefined): boolean {
  if (publicIP === undefined || address === undefined) return publicIP !== address && publicIP !== undefined;
  try {
    return IpNet.canonicalAddress(publicIP) !== IpNet.canonicalAddress(address);
  } catch {
    return publicIP !== address;
  }
}
