// Leases → the forwarder's routes (pkg/backend/udp/udp_network_amd64.go, processSubnetEvents): every remote
// lease with an IPv4 subnet gets `subnet → PublicIP:<our Port>`, whatever its BackendType (flannel filters
// none). A lease whose PublicIP is not a usable unicast address is skipped with a reason, since it would
// only send our traffic nowhere.
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import type { UdpRoute } from './udp-route-table.js';

/** The route for one lease, or why there is none. */
export type UdpLeaseRoute = { readonly ok: true; readonly route: UdpRoute } | { readonly ok: false; readonly reason: string };

/** The subnet a lease's route is keyed by (`10.5.2.0/24`), or undefined for a lease without an IPv4 subnet. */
export function udpRouteKey(lease: Lease): string | undefined {
  return lease.subnet?.toString();
}

/**
 * The route to a remote lease's subnet through its PublicIP and `port`.
 *
 * @example
 * ```ts
 * udpLeaseRoute(lease, 8285); // { ok: true, route: { network: 0x0a050200, prefixLength: 24, nextHop: 0xc0a84d0c, port: 8285 } }
 * ```
 */
export function udpLeaseRoute(lease: Lease, port: number): UdpLeaseRoute {
  const subnet = lease.subnet;
  if (subnet === undefined || subnet.family !== 4) return { ok: false, reason: 'the lease has no IPv4 subnet' };
  const publicIP = lease.attributes.publicIP;
  if (!IpNet.isAddress(publicIP, 4)) return { ok: false, reason: `PublicIP ${JSON.stringify(publicIP)} is not an IPv4 address` };
  const nextHop = Number(IpNet.parseAddress(publicIP, 4).value) >>> 0;
  const first = nextHop >>> 24;
  if (nextHop === 0 || first === 127 || first >= 224) {
    return { ok: false, reason: `PublicIP ${publicIP} is invalid: must be a unicast address (not 0.0.0.0, loopback, multicast or broadcast)` };
  }
  return { ok: true, route: { network: Number(subnet.value) >>> 0, prefixLength: subnet.prefixLength, nextHop, port } };
}
