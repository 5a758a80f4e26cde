// The etcd RPCs this client makes: gRPC path, retry safety, and the protobuf codecs from `codec/`.
import { readAuthenticateResponse, writeAuthenticateRequest } from './codec/auth-codec.js';
import { readDeleteRangeResponse, readPutResponse, readRangeResponse, writeDeleteRangeRequest, writePutRequest, writeRangeRequest } from './codec/kv-codec.js';
import {
  readLeaseGrantResponse,
  readLeaseRevokeResponse,
  readLeaseTimeToLiveResponse,
  writeLeaseGrantRequest,
  writeLeaseRevokeRequest,
  writeLeaseTimeToLiveRequest,
} from './codec/lease-codec.js';
import { decodeMessage, encodeMessage } from './codec/message-codec.js';
import type { ProtoReader } from './codec/proto-reader.js';
import type { ProtoWriter } from './codec/proto-writer.js';
import { readTxnResponse, writeTxnRequest } from './codec/txn-codec.js';
import { readWatchResponse, writeWatchRequest } from './codec/watch-codec.js';
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

function method<Request, Response>(
  path: string,
  idempotent: boolean,
  readOnly: boolean,
  write: (writer: ProtoWriter, request: Request) => void,
  read: (reader: ProtoReader) => Response,
): Method<Request, Response> {
  return {
    path,
    idempotent,
    readOnly,
    encode: (request) => encodeMessage(request, write),
    decode: (bytes) => decodeMessage(bytes, read),
  };
}

/** `KV.Range`: read a key or a range of keys. */
export const kvRange: Method<RangeRequest, RangeResponse> = method('/etcdserverpb.KV/Range', true, true, writeRangeRequest, readRangeResponse);
/** `KV.Put`: write a key. */
export const kvPut: Method<PutRequest, PutResponse> = method('/etcdserverpb.KV/Put', false, false, writePutRequest, readPutResponse);
/** `KV.DeleteRange`: delete a key or a range of keys. */
export const kvDeleteRange: Method<DeleteRangeRequest, DeleteRangeResponse> = method(
  '/etcdserverpb.KV/DeleteRange',
  false,
  false,
  writeDeleteRangeRequest,
  readDeleteRangeResponse,
);
/** `KV.Txn`: compare-and-swap transaction. */
export const kvTxn: Method<TxnRequest, TxnResponse> = method('/etcdserverpb.KV/Txn', false, false, writeTxnRequest, readTxnResponse);
/** `Lease.LeaseGrant`: create a lease. */
export const leaseGrant: Method<LeaseGrantRequest, LeaseGrantResponse> = method(
  '/etcdserverpb.Lease/LeaseGrant',
  false,
  false,
  writeLeaseGrantRequest,
  readLeaseGrantResponse,
);
/** `Lease.LeaseRevoke`: revoke a lease and delete its keys. */
export const leaseRevoke: Method<LeaseRevokeRequest, LeaseRevokeResponse> = method(
  '/etcdserverpb.Lease/LeaseRevoke',
  true,
  false,
  writeLeaseRevokeRequest,
  readLeaseRevokeResponse,
);
/** `Lease.LeaseTimeToLive`: a lease's remaining TTL (and optionally its keys). */
export const leaseTimeToLive: Method<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse> = method(
  '/etcdserverpb.Lease/LeaseTimeToLive',
  true,
  true,
  writeLeaseTimeToLiveRequest,
  readLeaseTimeToLiveResponse,
);
/** `Auth.Authenticate`: exchange a user name and password for a token. */
export const authAuthenticate: Method<AuthenticateRequest, AuthenticateResponse> = method(
  '/etcdserverpb.Auth/Authenticate',
  true,
  true,
  writeAuthenticateRequest,
  readAuthenticateResponse,
);
/** `Watch.Watch` (bidirectional stream): request encoder and response decoder. */
export const watchStream: Method<WatchRequest, WatchResponse> = method('/etcdserverpb.Watch/Watch', true, false, writeWatchRequest, readWatchResponse);
