import { describe, expect, it } from 'vitest';
import { codeForStatus, decodeGrpcMessage, grpcTimeout, statusError } from './status.js';

describe('status', () => {
  it('decodes a percent-encoded grpc-message', () => {
    expect(decodeGrpcMessage('etcdserver%3A requested lease not found')).toBe('etcdserver: requested lease not found');
    expect(decodeGrpcMessage('bad %zz escape %41')).toBe('bad %zz escape A');
  });

  it('maps etcd statuses to stable codes', () => {
    expect(codeForStatus(14, 'etcdserver: no leader')).toBe('UNAVAILABLE');
    expect(codeForStatus(4, 'context deadline exceeded')).toBe('DEADLINE_EXCEEDED');
    expect(codeForStatus(16, 'etcdserver: invalid auth token')).toBe('AUTH_FAILED');
    expect(codeForStatus(3, 'etcdserver: authentication failed, invalid user ID or password')).toBe('AUTH_FAILED');
    expect(codeForStatus(7, 'etcdserver: permission denied')).toBe('PERMISSION_DENIED');
    expect(codeForStatus(11, 'etcdserver: mvcc: required revision has been compacted')).toBe('COMPACTED');
    expect(codeForStatus(5, 'etcdserver: requested lease not found')).toBe('REQUEST_FAILED');
  });

  it('names the etcd error clientv3 tells apart (exact text), for token refresh among others', () => {
    expect(statusError('/p', 'e', 16, 'etcdserver: invalid auth token').reason).toBe('INVALID_AUTH_TOKEN');
    expect(statusError('/p', 'e', 3, 'etcdserver: revision of auth store is old')).toMatchObject({ code: 'AUTH_FAILED', reason: 'AUTH_OLD_REVISION' });
    expect(statusError('/p', 'e', 3, 'etcdserver: user name is empty')).toMatchObject({ code: 'AUTH_FAILED', reason: 'USER_EMPTY' });
    expect(statusError('/p', 'e', 14, 'etcdserver: no leader')).toMatchObject({ code: 'UNAVAILABLE', reason: 'NO_LEADER' });
    expect(statusError('/p', 'e', 3, 'etcdserver: something new')).toMatchObject({ code: 'REQUEST_FAILED', reason: undefined });
  });

  it('names the RPC and the endpoint and keeps etcd text', () => {
    const error = statusError('/etcdserverpb.Lease/LeaseRevoke', 'http://127.0.0.1:2379', 5, 'etcdserver: requested lease not found');
    expect(error.message).toBe('etcd Lease/LeaseRevoke on http://127.0.0.1:2379 failed: etcdserver: requested lease not found');
    expect(error.grpcStatus).toBe(5);
  });

  it('writes grpc-timeout in at most 8 digits', () => {
    expect(grpcTimeout(10_000)).toBe('10000m');
    expect(grpcTimeout(0.2)).toBe('1m');
    expect(grpcTimeout(1e12)).toBe('99999999S');
  });
});
