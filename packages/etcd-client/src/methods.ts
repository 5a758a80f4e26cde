// STUB — owned by the codec work: replace each `notYet` with the real codecs from `codec/`.
import { EtcdError } from './etcd-error.js';
import type { Method } from './method.js';
import type {
  AuthenticateRequest,
  AuthenticateResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  LeaseGrantRequest,
  LeaseGrantResponse,
  LeaseRevokeRequest,
  LeaseRevokeResponse,
  LeaseTimeToLiveRequest,
  LeaseTimeToLiveResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchRequest,
  WatchResponse,
} from './messages.js';

const notYet = (): never => {
  throw new EtcdError('PROTOCOL', 'codec not implemented yet');
};

/** `KV.Range`. */
export const kvRange: Method<RangeRequest, RangeResponse> = { path: '/etcdserverpb.KV/Range', idempotent: true, encode: notYet, decode: notYet };
/** `KV.Put`. */
export const kvPut: Method<PutRequest, PutResponse> = { path: '/etcdserverpb.KV/Put', idempotent: false, encode: notYet, decode: notYet };
/** `KV.DeleteRange`. */
export const kvDeleteRange: Method<DeleteRangeRequest, DeleteRangeResponse> = { path: '/etcdserverpb.KV/DeleteRange', idempotent: false, encode: notYet, decode: notYet };
/** `KV.Txn`. */
export const kvTxn: Method<TxnRequest, TxnResponse> = { path: '/etcdserverpb.KV/Txn', idempotent: false, encode: notYet, decode: notYet };
/** `Lease.LeaseGrant`. */
export const leaseGrant: Method<LeaseGrantRequest, LeaseGrantResponse> = { path: '/etcdserverpb.Lease/LeaseGrant', idempotent: false, encode: notYet, decode: notYet };
/** `Lease.LeaseRevoke`. */
export const leaseRevoke: Method<LeaseRevokeRequest, LeaseRevokeResponse> = { path: '/etcdserverpb.Lease/LeaseRevoke', idempotent: true, encode: notYet, decode: notYet };
/** `Lease.LeaseTimeToLive`. */
export const leaseTimeToLive: Method<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse> = { path: '/etcdserverpb.Lease/LeaseTimeToLive', idempotent: true, encode: notYet, decode: notYet };
/** `Auth.Authenticate`. */
export const authAuthenticate: Method<AuthenticateRequest, AuthenticateResponse> = { path: '/etcdserverpb.Auth/Authenticate', idempotent: true, encode: notYet, decode: notYet };
/** `Watch.Watch` (bidirectional stream): request encoder and response decoder. */
export const watchStream: Method<WatchRequest, WatchResponse> = { path: '/etcdserverpb.Watch/Watch', idempotent: true, encode: notYet, decode: notYet };
