// The etcd v3 API messages this client speaks (etcdserverpb / mvccpb, etcd 3.4+), as plain TypeScript
// objects. Field names are camelCase versions of the proto names; proto field numbers are given in the
// TSDoc of the codecs (`codec/*.ts`). 64-bit integers (revisions, lease IDs, TTLs) are `bigint`: lease IDs
// use all 63 bits. Byte fields are `Buffer`s; decoded ones are views into the received frame.

/** `etcdserverpb.ResponseHeader`. */
export interface ResponseHeader {
  readonly clusterId: bigint;
  readonly memberId: bigint;
  /** The store revision when the request was applied. */
  readonly revision: bigint;
  readonly raftTerm: bigint;
}

/** `mvccpb.KeyValue`. */
export interface KeyValue {
  readonly key: Buffer;
  readonly createRevision: bigint;
  readonly modRevision: bigint;
  readonly version: bigint;
  readonly value: Buffer;
  /** The etcd lease attached to the key; `0n` for none. */
  readonly lease: bigint;
}

/** `etcdserverpb.RangeRequest` (the fields this client supports). */
export interface RangeRequest {
  readonly key: Buffer;
  /** End of the range, exclusive; `prefixRangeEnd(key)` for a prefix. Absent: the single key. */
  readonly rangeEnd?: Buffer;
  /** Maximum number of keys; absent or `0n`: no limit. */
  readonly limit?: bigint;
  /** Read at this revision; absent or `0n`: the newest. */
  readonly revision?: bigint;
  readonly keysOnly?: boolean;
  readonly countOnly?: boolean;
  /** Serve from the contacted member's local state without a quorum read. */
  readonly serializable?: boolean;
}

/** `etcdserverpb.RangeResponse`. */
export interface RangeResponse {
  readonly header: ResponseHeader;
  readonly kvs: readonly KeyValue[];
  /** More keys were in the range than `limit` allowed. */
  readonly more: boolean;
  readonly count: bigint;
}

/** `etcdserverpb.PutRequest`. */
export interface PutRequest {
  readonly key: Buffer;
  readonly value: Buffer;
  /** etcd lease to attach; absent or `0n`: none. */
  readonly lease?: bigint;
  readonly prevKv?: boolean;
}

/** `etcdserverpb.PutResponse`. */
export interface PutResponse {
  readonly header: ResponseHeader;
  readonly prevKv?: KeyValue;
}

/** `etcdserverpb.DeleteRangeRequest`. */
export interface DeleteRangeRequest {
  readonly key: Buffer;
  readonly rangeEnd?: Buffer;
  readonly prevKv?: boolean;
}

/** `etcdserverpb.DeleteRangeResponse`. */
export interface DeleteRangeResponse {
  readonly header: ResponseHeader;
  readonly deleted: bigint;
  readonly prevKvs: readonly KeyValue[];
}

/** `etcdserverpb.Compare.CompareResult`. */
export type CompareResult = 'equal' | 'greater' | 'less' | 'notEqual';

/** `etcdserverpb.Compare`: one condition of a transaction; exactly one of the target fields is set. */
export type Compare = {
  readonly key: Buffer;
  readonly rangeEnd?: Buffer;
  readonly result: CompareResult;
} & (
  | { readonly target: 'version'; readonly version: bigint }
  | { readonly target: 'createRevision'; readonly createRevision: bigint }
  | { readonly target: 'modRevision'; readonly modRevision: bigint }
  | { readonly target: 'value'; readonly value: Buffer }
  | { readonly target: 'lease'; readonly lease: bigint }
);

/** `etcdserverpb.RequestOp`: one operation of a transaction branch. */
export type RequestOp =
  | { readonly range: RangeRequest }
  | { readonly put: PutRequest }
  | { readonly deleteRange: DeleteRangeRequest };

/** `etcdserverpb.TxnRequest`. */
export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly RequestOp[];
  readonly failure: readonly RequestOp[];
}

/** `etcdserverpb.ResponseOp`. */
export type ResponseOp =
  | { readonly range: RangeResponse }
  | { readonly put: PutResponse }
  | { readonly deleteRange: DeleteRangeResponse };

/** `etcdserverpb.TxnResponse`. */
export interface TxnResponse {
  readonly header: ResponseHeader;
  /** Whether every comparison held (the `success` branch ran). */
  readonly succeeded: boolean;
  readonly responses: readonly ResponseOp[];
}

/** `etcdserverpb.LeaseGrantRequest`. */
export interface LeaseGrantRequest {
  /** Requested TTL in seconds. */
  readonly ttl: bigint;
  /** Requested ID; absent or `0n`: etcd picks one. */
  readonly id?: bigint;
}

/** `etcdserverpb.LeaseGrantResponse`. */
export interface LeaseGrantResponse {
  readonly header: ResponseHeader;
  readonly id: bigint;
  /** Granted TTL in seconds. */
  readonly ttl: bigint;
  /** Set by etcd when the grant failed. */
  readonly error: string;
}

/** `etcdserverpb.LeaseRevokeRequest`. */
export interface LeaseRevokeRequest {
  readonly id: bigint;
}

/** `etcdserverpb.LeaseRevokeResponse`. */
export interface LeaseRevokeResponse {
  readonly header: ResponseHeader;
}

/** `etcdserverpb.LeaseTimeToLiveRequest`. */
export interface LeaseTimeToLiveRequest {
  readonly id: bigint;
  /** Also list the keys attached to the lease. */
  readonly keys?: boolean;
}

/** `etcdserverpb.LeaseTimeToLiveResponse`. */
export interface LeaseTimeToLiveResponse {
  readonly header: ResponseHeader;
  readonly id: bigint;
  /** Remaining seconds; `-1n` when the lease has expired or never existed. */
  readonly ttl: bigint;
  readonly grantedTtl: bigint;
  readonly keys: readonly Buffer[];
}

/** `etcdserverpb.AuthenticateRequest`. */
export interface AuthenticateRequest {
  readonly name: string;
  readonly password: string;
}

/** `etcdserverpb.AuthenticateResponse`. */
export interface AuthenticateResponse {
  readonly header: ResponseHeader;
  /** The token to send as the `token` metadata of later calls. */
  readonly token: string;
}

/** `etcdserverpb.WatchCreateRequest`. */
export interface WatchCreateRequest {
  readonly key: Buffer;
  readonly rangeEnd?: Buffer;
  /** First revision to deliver; absent or `0n`: changes after now. */
  readonly startRevision?: bigint;
  /** Ask for periodic empty responses carrying the current revision when nothing changes. */
  readonly progressNotify?: boolean;
  /** Include each changed key's previous value. */
  readonly prevKv?: boolean;
  /** Requested watch ID; absent or `0n`: etcd picks one. */
  readonly watchId?: bigint;
  /** Allow etcd to split large revisions over several responses. */
  readonly fragment?: boolean;
}

/** `etcdserverpb.WatchRequest`: exactly one member. */
export type WatchRequest =
  | { readonly create: WatchCreateRequest }
  | { readonly cancel: { readonly watchId: bigint } }
  | { readonly progress: Record<string, never> };

/** `mvccpb.Event`. */
export interface WatchEvent {
  readonly type: 'put' | 'delete';
  readonly kv: KeyValue;
  readonly prevKv?: KeyValue;
}

/** `etcdserverpb.WatchResponse`. */
export interface WatchResponse {
  readonly header: ResponseHeader;
  readonly watchId: bigint;
  readonly created: boolean;
  readonly canceled: boolean;
  /** Non-zero when the requested start revision has been compacted away: the watch is canceled. */
  readonly compactRevision: bigint;
  readonly cancelReason: string;
  readonly fragment: boolean;
  readonly events: readonly WatchEvent[];
}
