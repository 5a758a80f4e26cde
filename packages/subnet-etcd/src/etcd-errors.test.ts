import { FlannelError } from '@flannel-ts/core';
import { EtcdError } from '@flannel-ts/etcd-client';
import { describe, expect, it } from 'vitest';
import { etcdErrorOf, toDatastoreError } from './etcd-errors.js';

describe('toDatastoreError', () => {
  it('keeps the typed EtcdError as the cause, so callers branch on its code, not its text', () => {
    const compacted = new EtcdError('COMPACTED', 'etcd KV/Range on http://a:2379 failed: etcdserver: mvcc: required revision has been compacted', {
      reason: 'COMPACTED',
    });
    const error = toDatastoreError(compacted, 'list /x', 'pw');
    expect(error).toMatchObject({ code: 'DATASTORE_UNAVAILABLE' });
    expect(error.cause).toBe(compacted);
    expect(etcdErrorOf(error)).toMatchObject({ code: 'COMPACTED', reason: 'COMPACTED' });
  });

  it('maps codes: auth and TLS to DATASTORE_AUTH_FAILED, closed to ABORTED', () => {
    expect(toDatastoreError(new EtcdError('PERMISSION_DENIED', 'denied'), 'put /x').code).toBe('DATASTORE_AUTH_FAILED');
    expect(toDatastoreError(new EtcdError('TLS_FAILED', 'bad cert'), 'put /x').code).toBe('DATASTORE_AUTH_FAILED');
    expect(toDatastoreError(new EtcdError('CLOSED', 'closed'), 'put /x').code).toBe('ABORTED');
  });

  it('replaces a cause whose text would carry the password by the redacted text', () => {
    const leaky = new EtcdError('REQUEST_FAILED', 'etcd said s3cret-pw');
    const error = toDatastoreError(leaky, 'put /x', 's3cret-pw');
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.cause).not.toBe(leaky);
    expect(String((error.cause as Error).message)).toBe('etcd said ***');
    expect(etcdErrorOf(error)).toBeUndefined();
  });

  it('passes FlannelErrors through, and etcdErrorOf finds nothing in other errors', () => {
    const flannel = new FlannelError('LEASE_REVOKED', 'gone');
    expect(toDatastoreError(flannel, 'x')).toBe(flannel);
    expect(etcdErrorOf(new Error('plain'))).toBeUndefined();
  });
});
