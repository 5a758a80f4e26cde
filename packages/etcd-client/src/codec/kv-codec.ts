// Codecs of etcdserverpb.ResponseHeader, mvccpb.KeyValue and the KV Range/Put/DeleteRange messages. Field
// numbers are those of etcd's api/etcdserverpb/rpc.proto and api/mvccpb/kv.proto (etcd 3.4+).
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  ResponseHeader,
} from '../messages.js';
import { EMPTY_BYTES, LEN, messageFields, ProtoReader, VARINT } from './proto-reader.js';
import type { ProtoWriter } from './proto-writer.js';

const HEADER_FIELDS = messageFields('ResponseHeader', {
  1: ['cluster_id', VARINT],
  2: ['member_id', VARINT],
  3: ['revision', VARINT],
  4: ['raft_term', VARINT],
});

/** The header of a response that carried none (all zero). */
export const EMPTY_HEADER: ResponseHeader = { clusterId: 0n, memberId: 0n, revision: 0n, raftTerm: 0n };

/** Decodes a `ResponseHeader` sub-message: cluster_id=1, member_id=2 (uint64), revision=3 (int64), raft_term=4 (uint64). */
export function readResponseHeader(r: ProtoReader): ResponseHeader {
  const outer = r.enter();
  let clusterId = 0n;
  let memberId = 0n;
  let revision = 0n;
  let raftTerm = 0n;
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === HEADER_FIELDS.tags.cluster_id) clusterId = r.uint64();
      else if (tag === HEADER_FIELDS.tags.member_id) memberId = r.uint64();
      else if (tag === HEADER_FIELDS.tags.revision) revision = r.int64();
      else if (tag === HEADER_FIELDS.tags.raft_term) raftTerm = r.uint64();
      else r.skip(tag, HEADER_FIELDS);
    }
  } catch (error) {
    throw r.fail(error, HEADER_FIELDS);
  }
  r.leave(outer);
  return { clusterId, memberId, revision, raftTerm };
}

const KEY_VALUE_FIELDS = messageFields('KeyValue', {
  1: ['key', LEN],
  2: ['create_revision', VARINT],
  3: ['mod_revision', VARINT],
  4: ['version', VARINT],
  5: ['value', LEN],
  6: ['lease', VARINT],
});

/**
 * Decodes an `mvccpb.KeyValue` sub-message: key=1, create_revision=2, mod_revision=3, version=4, value=5,
 * lease=6. `key` and `value` are views into the frame. The hot path of a large range.
 */
export function readKeyValue(r: ProtoReader): KeyValue {
  const outer = r.enter();
  let key = EMPTY_BYTES;
  let createRevision = 0n;
  let modRevision = 0n;
  let version = 0n;
  let value = EMPTY_BYTES;
  let lease = 0n;
  try {
    while (r.more()) {
      const tag = r.tag();
      switch (tag) {
        case KEY_VALUE_FIELDS.tags.key:
          key = r.bytes();
          break;
        case KEY_VALUE_FIELDS.tags.create_revision:
          createRevision = r.int64();
          break;
        case KEY_VALUE_FIELDS.tags.mod_revision:
          modRevision = r.int64();
          break;
        case KEY_VALUE_FIELDS.tags.version:
          version = r.int64();
          break;
        case KEY_VALUE_FIELDS.tags.value:
          value = r.bytes();
          break;
        case KEY_VALUE_FIELDS.tags.lease:
          lease = r.int64();
          break;
        default:
          r.skip(tag, KEY_VALUE_FIELDS);
      }
    }
  } catch (error) {
    throw r.fail(error, KEY_VALUE_FIELDS);
  }
  r.leave(outer);
  return { key, createRevision, modRevision, version, value, lease };
}

/** Writes a `RangeRequest` body: key=1, range_end=2, limit=3, revision=4, serializable=7, keys_only=8, count_only=9. */
export function writeRangeRequest(w: ProtoWriter, request: RangeRequest): void {
  w.bytes(1, request.key);
  w.bytes(2, request.rangeEnd);
  w.int64(3, request.limit);
  w.int64(4, request.revision);
  w.bool(7, request.serializable);
  w.bool(8, request.keysOnly);
  w.bool(9, request.countOnly);
}

const RANGE_RESPONSE_FIELDS = messageFields('RangeResponse', {
  1: ['header', LEN],
  2: ['kvs', LEN],
  3: ['more', VARINT],
  4: ['count', VARINT],
});

/** Decodes a `RangeResponse` from `r.pos` to `r.limit`: header=1, kvs=2, more=3, count=4. */
export function readRangeResponse(r: ProtoReader): RangeResponse {
  let header = EMPTY_HEADER;
  const kvs: KeyValue[] = [];
  let more = false;
  let count = 0n;
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === RANGE_RESPONSE_FIELDS.tags.kvs) kvs.push(readKeyValue(r));
      else if (tag === RANGE_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === RANGE_RESPONSE_FIELDS.tags.more) more = r.bool();
      else if (tag === RANGE_RESPONSE_FIELDS.tags.count) count = r.int64();
      else r.skip(tag, RANGE_RESPONSE_FIELDS);
    }
  } catch (error) {
    throw r.fail(error, RANGE_RESPONSE_FIELDS);
  }
  return { header, kvs, more, count };
}

/** Writes a `PutRequest` body: key=1, value=2, lease=3, prev_kv=4. */
export function writePutRequest(w: ProtoWriter, request: PutRequest): void {
  w.bytes(1, request.key);
  w.bytes(2, request.value);
  w.int64(3, request.lease);
  w.bool(4, request.prevKv);
}

const PUT_RESPONSE_FIELDS = messageFields('PutResponse', { 1: ['header', LEN], 2: ['prev_kv', LEN] });

/** Decodes a `PutResponse` from `r.pos` to `r.limit`: header=1, prev_kv=2. */
export function readPutResponse(r: ProtoReader): PutResponse {
  let header = EMPTY_HEADER;
  let prevKv: KeyValue | undefined;
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === PUT_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === PUT_RESPONSE_FIELDS.tags.prev_kv) prevKv = readKeyValue(r);
      else r.skip(tag, PUT_RESPONSE_FIELDS);
    }
  } catch (error) {
    throw r.fail(error, PUT_RESPONSE_FIELDS);
  }
  return prevKv === undefined ? { header } : { header, prevKv };
}

/** Writes a `DeleteRangeRequest` body: key=1, range_end=2, prev_kv=3. */
export function writeDeleteRangeRequest(w: ProtoWriter, request: DeleteRangeRequest): void {
  w.bytes(1, request.key);
  w.bytes(2, request.rangeEnd);
  w.bool(3, request.prevKv);
}

const DELETE_RANGE_RESPONSE_FIELDS = messageFields('DeleteRangeResponse', {
  1: ['header', LEN],
  2: ['deleted', VARINT],
  3: ['prev_kvs', LEN],
});

/** Decodes a `DeleteRangeResponse` from `r.pos` to `r.limit`: header=1, deleted=2, prev_kvs=3. */
export function readDeleteRangeResponse(r: ProtoReader): DeleteRangeResponse {
  let header = EMPTY_HEADER;
  let deleted = 0n;
  const prevKvs: KeyValue[] = [];
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === DELETE_RANGE_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === DELETE_RANGE_RESPONSE_FIELDS.tags.deleted) deleted = r.int64();
      else if (tag === DELETE_RANGE_RESPONSE_FIELDS.tags.prev_kvs) prevKvs.push(readKeyValue(r));
      else r.skip(tag, DELETE_RANGE_RESPONSE_FIELDS);
    }
  } catch (error) {
    throw r.fail(error, DELETE_RANGE_RESPONSE_FIELDS);
  }
  return { header, deleted, prevKvs };
}
