import { describe, expect, it } from 'vitest';
import { authAuthenticate, kvDeleteRange, kvPut, kvRange, kvTxn, leaseGrant, leaseRevoke, leaseTimeToLive, watchStream } from './methods.js';

describe('methods', () => {
  it('use the etcdserverpb gRPC paths', () => {
    expect([kvRange, kvPut, kvDeleteRange, kvTxn, leaseGrant, leaseRevoke, leaseTimeToLive, authAuthenticate, watchStream].map((m) => m.path)).toEqual([
      '/etcdserverpb.KV/Range',
      '/etcdserverpb.KV/Put',
      '/etcdserverpb.KV/DeleteRange',
      '/etcdserverpb.KV/Txn',
      '/etcdserverpb.Lease/LeaseGrant',
      '/etcdserverpb.Lease/LeaseRevoke',
      '/etcdserverpb.Lease/LeaseTimeToLive',
      '/etcdserverpb.Auth/Authenticate',
      '/etcdserverpb.Watch/Watch',
    ]);
  });

  it('mark only calls safe to repeat as idempotent (no Put, DeleteRange, Txn or LeaseGrant)', () => {
    expect([kvPut, kvDeleteRange, kvTxn, leaseGrant].map((m) => m.idempotent)).toEqual([false, false, false, false]);
    expect([kvRange, leaseRevoke, leaseTimeToLive, authAuthenticate, watchStream].every((m) => m.idempotent)).toBe(true);
  });

  it('mark only reads as readOnly (retried on another member after a deadline)', () => {
    expect([kvRange, leaseTimeToLive, authAuthenticate].every((m) => m.readOnly === true)).toBe(true);
    expect([kvPut, kvDeleteRange, kvTxn, leaseGrant, leaseRevoke, watchStream].some((m) => m.readOnly === true)).toBe(false);
  });

  it('decode an empty frame to the response defaults', () => {
    expect(kvPut.decode(Buffer.alloc(0))).toEqual({ header: { clusterId: 0n, memberId: 0n, revision: 0n, raftTerm: 0n } });
    expect(kvTxn.decode(Buffer.alloc(0)).responses).toEqual([]);
  });

  it('throw EtcdError PROTOCOL on malformed frames', () => {
    expect(() => kvRange.decode(Buffer.from([0x12, 0x05]))).toThrow(expect.objectContaining({ name: 'EtcdError', code: 'PROTOCOL' }));
  });
});
