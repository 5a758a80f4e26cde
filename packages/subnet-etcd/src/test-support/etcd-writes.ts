// Test-only: terse writes through an EtcdClient, the way another flannel node (or an operator) would.
import type { EtcdClient } from '@flannel-ts/etcd-client';

/** Puts `value` at `key`, attached to etcd lease `lease` when given. */
export async function putKey(client: EtcdClient, key: string, value: string | Buffer, lease?: bigint): Promise<void> {
  await client.put({ key: Buffer.from(key), value: Buffer.from(value), ...(lease === undefined ? {} : { lease }) });
}

/** Deletes `key`. */
export async function deleteKey(client: EtcdClient, key: string): Promise<void> {
  await client.deleteRange({ key: Buffer.from(key) });
}

/** Grants an etcd lease of `ttlSeconds`; resolves its ID. */
export async function grantLease(client: EtcdClient, ttlSeconds: number): Promise<bigint> {
  return (await client.leaseGrant({ ttl: BigInt(ttlSeconds) })).id;
}
