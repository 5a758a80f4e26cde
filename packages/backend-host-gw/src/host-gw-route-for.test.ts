import { IpNet } from '@flannel-ts/core';
import type { Lease, LeaseAttributes } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { hostGwRouteFor } from './host-gw-route-for.js';

function lease(subnet: string, publicIP: string, extra: Partial<LeaseAttributes> = {}, ipv6Subnet?: string): Lease {
  return {
    enableIPv4: true,
    enableIPv6: ipv6Subnet !== undefined,
    subnet: IpNet.parse(subnet),
    ...(ipv6Subnet ? { ipv6Subnet: IpNet.parse(ipv6Subnet) } : {}),
    attributes: { publicIP, backendType: 'host-gw', ...extra },
  };
}

describe('hostGwRouteFor', () => {
  it('routes a remote subnet via its PublicIP', () => {
    expect(hostGwRouteFor(lease('10.5.34.0/24', '192.168.1.2'), 4)).toEqual({ family: 4, destination: '10.5.34.0/24', gateway: '192.168.1.2' });
  });

  it('routes an IPv6 subnet via PublicIPv6, in canonical form', () => {
    const dual = lease('10.5.34.0/24', '192.168.1.2', { publicIPv6: 'FD00:0::2' }, 'fd00:10:0:34::/64');
    expect(hostGwRouteFor(dual, 6)).toEqual({ family: 6, destination: 'fd00:10:0:34::/64', gateway: 'fd00::2' });
  });

  it('refuses a PublicIP that is not an address of the family, or unspecified, naming the field', () => {
    expect(hostGwRouteFor(lease('10.5.2.0/24', 'x'), 4)).toEqual({ refused: 'PublicIP "x" is invalid: must be an IPv4 address' });
    expect(hostGwRouteFor(lease('10.5.2.0/24', '0.0.0.0'), 4)).toEqual({ refused: 'PublicIP "0.0.0.0" is invalid: must be an IPv4 address' });
  });

  it('wants no route in a family the lease has no subnet of', () => {
    expect(hostGwRouteFor(lease('10.5.2.0/24', '192.168.1.2'), 6)).toBeUndefined();
  });
});
