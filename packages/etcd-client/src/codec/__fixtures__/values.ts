// Test values shared by the codec tests; they mirror the objects in scripts/make-golden-fixtures.mjs.
import type { KeyValue, ResponseHeader } from '../../messages.js';

/** A lease ID using all 63 bits. */
export const LEASE_63 = 0x7edcba9876543210n;
/** A revision just above 2^53 (not representable as a JS number). */
export const BIG_REV = 2n ** 53n + 7n;
/** A header with a uint64 cluster ID above 2^63. */
export const HEADER: ResponseHeader = { clusterId: 0xf1e2d3c4b5a69788n, memberId: 0x1234567890abcdefn, revision: 123456n, raftTerm: 9n };
/** The header of a response without one. */
export const ZERO_HEADER: ResponseHeader = { clusterId: 0n, memberId: 0n, revision: 0n, raftTerm: 0n };
/** A flannel subnet lease key-value with a 63-bit etcd lease. */
export const KV_A: KeyValue = {
  key: Buffer.from('/coreos.com/network/subnets/10.5.34.0-24'),
  createRevision: 100n,
  modRevision: BIG_REV,
  version: 3n,
  value: Buffer.from('{"PublicIP":"192.168.0.1"}'),
  lease: LEASE_63,
};
/** The flannel network config key-value, no lease. */
export const KV_B: KeyValue = {
  key: Buffer.from('/coreos.com/network/config'),
  createRevision: 2n,
  modRevision: 2n,
  version: 1n,
  value: Buffer.from('{"Network":"10.5.0.0/16"}'),
  lease: 0n,
};
