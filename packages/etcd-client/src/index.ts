/**
 * `@flannel-ts/etcd-client`: a small etcd v3 client — the KV, Lease, Watch and Auth calls flannel needs —
 * speaking gRPC over `node:http2` with hand-written protobuf codecs. No gRPC or protobuf runtime.
 * @packageDocumentation
 */
export type { EtcdCallOptions, EtcdClient, EtcdClientOptions, EtcdTlsOptions, WatchOptions, WatchStream } from './etcd-client.js';
export { createEtcdClient } from './create-etcd-client.js';
export type { EtcdMethods } from './create-etcd-client.js';
export { EtcdError } from './etcd-error.js';
export type { EtcdErrorCode, EtcdErrorOptions, EtcdServerReason } from './etcd-error.js';
export { watchCanceledError } from './watch-canceled-error.js';
export type { Method } from './method.js';
export { prefixRangeEnd } from './prefix-range-end.js';
export type {
  AuthenticateRequest,
  AuthenticateResponse,
  Compare,
  CompareResult,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
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
  RequestOp,
  ResponseHeader,
  ResponseOp,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchEvent,
  WatchRequest,
  WatchResponse,
} from './messages.js';
