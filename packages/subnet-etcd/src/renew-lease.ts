import { FlannelError, leaseAttributes, leaseKey, throwIfAborted, type CallOptions, type Lease } from '@flannel-ts/core';
import type { EtcdContext } from './etcd-context.js';
import { SUBNET_TTL_SECONDS } from './etcd-registry.js';

/** The lease's key segment (`10.5.34.0-24`); `LEASE_INVALID` when the lease has no IPv4 subnet. */
export function nameOf(lease: Lease): string {
  if (lease.subnet === undefined) {
    throw new FlannelError('LEASE_INVALID', 'lease subnet is missing: an etcd lease always has an IPv4 subnet');
  }
  return leaseKey.encode({ subnet: lease.subnet, ...(lease.ipv6Subnet !== undefined && { ipv6Subnet: lease.ipv6Subnet }) });
}

/**
 * Whether the key is a reservation (held without etcd lease). A lease with an expiry is not; one without
 * may be either (a reservation, or another node's lease watched without `watchExpirations`), so the
 * stored key's etcd lease ID decides, at the cost of one read. A missing key is re-created with a lease,
 * as flanneld does.
 */
async function isReservation(context: EtcdContext, name: string, lease: Lease): Promise<boolean> {
  if (lease.expiration !== undefined) return false;
  const { entry } = await context.registry.getSubnet(name);
  return entry?.leaseId === '0';
}

/**
 * flannel's `RenewLease`: a new 24 h etcd lease and a put of the unchanged attributes with it (the old
 * etcd lease simply expires). A reservation (a key stored without etcd lease) is re-put without etcd
 * lease and stays one.
 */
export async function renewLease(context: EtcdContext, lease: Lease, options: CallOptions = {}): Promise<Lease> {
  throwIfAborted(options.signal);
  const name = nameOf(lease);
  const ttl = (await isReservation(context, name, lease)) ? 0 : SUBNET_TTL_SECONDS;
  throwIfAborted(options.signal);
  const granted = await context.registry.updateSubnet(name, leaseAttributes.encode(lease.attributes), ttl);
  const expiration = granted.leaseId === '0'
      ? undefined
      : (context.expirations.cached(granted.leaseId) ?? new Date(context.clock() + granted.ttl * 1000));
  const { expiration: _old, ...rest } = lease;
  return { ...rest, ...(expiration !== undefined && { expiration }), revision: granted.revision };
}
