// host-gw's one decision per remote lease (flannel's pkg/backend/hostgw/hostgw.go GetRoute): the remote
// subnet via the remote PublicIP, out of the external interface. Everything else is the shared route network.
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import type { Family, Route } from '@flannel-ts/netlink';
import type { RouteRefusal } from '@flannel-ts/route-network';

/**
 * The route host-gw wants for a remote host-gw lease in `family`: `<subnet> via <PublicIP(v6)>` (the
 * shared route network adds the external interface and the proto mark). A PublicIP that is not an
 * address of the family, or unspecified, is refused.
 *
 * @example
 * ```ts
 * hostGwRouteFor(lease, 4); // { family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2' }
 * ```
 */
export function hostGwRouteFor(lease: Lease, family: Family): Route | RouteRefusal | undefined {
  const subnet = family === 6 ? lease.ipv6Subnet : lease.subnet;
  if (subnet === undefined || subnet.family !== family) return undefined;
  const raw = family === 6 ? lease.attributes.publicIPv6 : lease.attributes.publicIP;
  const gateway = canonical(raw, family);
  if (gateway === undefined) {
    return { refused: `${family === 6 ? 'PublicIPv6' : 'PublicIP'} ${JSON.stringify(raw ?? null)} is invalid: must be an IPv${family} address` };
  }
  return { family, destination: subnet.toString(), gateway };
}

function canonical(text: string | undefined, family: Family): string | undefined {
  if (text === undefined) return undefined;
  try {
    const address = IpNet.canonicalAddress(text, family);
    return address === '0.0.0.0' || address === '::' ? undefined : address;
  } catch {
    return undefined;
  }
}
