import type { DecodeResult } from './decode-result.js';
import { FlannelError } from './errors.js';
import type { Lease } from './lease.js';
import { leaseAttributes } from './lease-attributes.js';
import { leaseKey, type LeaseKey } from './lease-key.js';

/** Facts about a stored lease that are not in its key or value. */
export interface DecodeLeaseOptions {
  /** When it expires (etcd: now + TTL); omit for a reservation. */
  readonly expiration?: Date;
  /** Datastore revision it was read at (etcd `mod_revision`). */
  readonly revision?: bigint;
  /** Datastore revision its key was created at (etcd `create_revision`). */
  readonly createRevision?: bigint;
  /**
   * `key` as `leaseKey.decode(key)` decoded it, when the caller did that already (an etcd listing read
   * for an acquisition and reused as a watch snapshot): the key is then not decoded again and the lease
   * shares its subnets. Must be the successful decoding of this very key.
   */
  readonly decodedKey?: LeaseKey;
}

/**
 * Builds a {@link Lease} from an etcd key segment and value, as flannel's etcd registry does: IPv4 is
 * always enabled, IPv6 when the key names an IPv6 subnet. Never throws: a bad key or value yields a
 * `LEASE_INVALID` error naming it (the key is prefixed to value errors).
 *
 * @example
 * ```ts
 * const result = decodeLease('10.5.34.0-24', '{"PublicIP":"192.168.64.3","PublicIPv6":null}', { expiration });
 * if (result.ok) result.value.subnet?.toString(); // '10.5.34.0/24'
 * ```
 */
export function decodeLease(key: string, value: string, options: DecodeLeaseOptions = {}): DecodeResult<Lease> {
  let decodedKey = options.decodedKey;
  if (decodedKey === undefined) {
    const decoded = leaseKey.decode(key);
    if (!decoded.ok) return decoded;
    decodedKey = decoded.value;
  }
  const attributes = leaseAttributes.decode(value);
  if (!attributes.ok) {
    const { error } = attributes;
    return { ok: false, error: new FlannelError(error.code, `lease ${key}: ${error.message}`, { cause: error.cause }) };
  }
  const { subnet, ipv6Subnet } = decodedKey;
  // Every shape has its keys in the same order; the common ones are written as one literal each.
  const { expiration, revision, createRevision } = options;
  if (ipv6Subnet === undefined && revision !== undefined && createRevision !== undefined) {
    const value: Lease =
      expiration === undefined
        ? { enableIPv4: true, enableIPv6: false, subnet, attributes: attributes.value, revision, createRevision }
        : { enableIPv4: true, enableIPv6: false, subnet, attributes: attributes.value, expiration, revision, createRevision };
    return { ok: true, value };
  }
  if (ipv6Subnet === undefined && revision !== undefined) {
    const value: Lease =
      expiration === undefined
        ? { enableIPv4: true, enableIPv6: false, subnet, attributes: attributes.value, revision }
        : { enableIPv4: true, enableIPv6: false, subnet, attributes: attributes.value, expiration, revision };
    return { ok: true, value };
  }
  const lease: { -readonly [K in keyof Lease]: Lease[K] } =
    ipv6Subnet === undefined
      ? { enableIPv4: true, enableIPv6: false, subnet, attributes: attributes.value }
      : { enableIPv4: true, enableIPv6: true, subnet, ipv6Subnet, attributes: attributes.value };
  if (expiration !== undefined) lease.expiration = expiration;
  if (revision !== undefined) lease.revision = revision;
  if (createRevision !== undefined) lease.createRevision = createRevision;
  return { ok: true, value: lease };
}
