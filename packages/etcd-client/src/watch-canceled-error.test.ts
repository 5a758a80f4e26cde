import { describe, expect, it } from 'vitest';
import type { WatchResponse } from './messages.js';
import { watchCanceledError } from './watch-canceled-error.js';

const canceled = (cancelReason: string, compactRevision = 0n): WatchResponse => ({
  header: { clusterId: 1n, memberId: 2n, revision: 30n, raftTerm: 3n },
  watchId: 4n,
  created: false,
  canceled: true,
  compactRevision,
  cancelReason,
  fragment: false,
  events: [],
});

describe('watchCanceledError', () => {
  it('is COMPACTED with the compact revision when etcd compacted the start revision', () => {
    const error = watchCanceledError(canceled('mvcc: required revision has been compacted', 25n));
    expect(error).toMatchObject({ code: 'COMPACTED', reason: 'COMPACTED', compactRevision: 25n, retryable: false });
    expect(error.message).toBe('etcd Watch/Watch failed: watch 4 canceled by etcd: mvcc: required revision has been compacted');
  });

  it('reads etcd’s error out of a quoted gRPC status (etcd 3.4.23+), and a stale token is retryable', () => {
    expect(watchCanceledError(canceled('rpc error: code = Unauthenticated desc = etcdserver: invalid auth token'))).toMatchObject({
      code: 'AUTH_FAILED',
      reason: 'INVALID_AUTH_TOKEN',
      retryable: true,
    });
    expect(watchCanceledError(canceled('rpc error: code = InvalidArgument desc = etcdserver: revision of auth store is old'))).toMatchObject({
      reason: 'AUTH_OLD_REVISION',
      retryable: true,
    });
    expect(watchCanceledError(canceled('etcdserver: permission denied'), 'http://127.0.0.1:2379')).toMatchObject({
      code: 'PERMISSION_DENIED',
      endpoint: 'http://127.0.0.1:2379',
      retryable: false,
    });
  });

  it('is WATCH_CANCELED, with etcd’s text, for a reason it does not know', () => {
    const error = watchCanceledError(canceled('etcdserver: something new'));
    expect(error).toMatchObject({ code: 'WATCH_CANCELED', reason: undefined });
    expect(error.message).toMatch(/canceled by etcd: etcdserver: something new$/);
    expect(watchCanceledError(canceled('')).message).toMatch(/canceled by etcd: no reason given$/);
  });
});
