// Codecs of etcdserverpb.Compare, RequestOp, ResponseOp, TxnRequest and TxnResponse (rpc.proto, etcd 3.4+).
import { EtcdError } from '../etcd-error.js';
import type { Compare, CompareResult, RequestOp, ResponseOp, TxnRequest, TxnResponse } from '../messages.js';
import {
  EMPTY_HEADER,
  readDeleteRangeResponse,
  readPutResponse,
  readRangeResponse,
  readResponseHeader,
  writeDeleteRangeRequest,
  writePutRequest,
  writeRangeRequest,
} from './kv-codec.js';
import { LEN, messageFields, ProtoReader, VARINT, WireFault } from './proto-reader.js';
import type { ProtoWriter } from './proto-writer.js';

/** `Compare.CompareResult` enum values: EQUAL=0, GREATER=1, LESS=2, NOT_EQUAL=3. */
const COMPARE_RESULT: Record<CompareResult, number> = { equal: 0, greater: 1, less: 2, notEqual: 3 };

/** `Compare.CompareTarget` enum values: VERSION=0, CREATE=1, MOD=2, VALUE=3, LEASE=4. */
const COMPARE_TARGET: Record<Compare['target'], number> = { version: 0, createRevision: 1, modRevision: 2, value: 3, lease: 4 };

/**
 * Writes a `Compare` body: result=1, target=2, key=3, then the oneof target_union member (version=4,
 * create_revision=5, mod_revision=6, value=7, lease=8; written even when zero, since a oneof member's
 * presence is meaningful), range_end=64.
 */
export function writeCompare(w: ProtoWriter, compare: Compare): void {
  w.enumValue(1, COMPARE_RESULT[compare.result]);
  w.enumValue(2, COMPARE_TARGET[compare.target]);
  w.bytes(3, compare.key);
  switch (compare.target) {
    case 'version':
      w.int64Always(4, compare.version);
      break;
    case 'createRevision':
      w.int64Always(5, compare.createRevision);
      break;
    case 'modRevision':
      w.int64Always(6, compare.modRevision);
      break;
    case 'value':
      w.bytesAlways(7, compare.value);
      break;
    case 'lease':
      w.int64Always(8, compare.lease);
      break;
  }
  w.bytes(64, compare.rangeEnd);
}

/** Writes a `RequestOp` body: the oneof request member request_range=1, request_put=2, request_delete_range=3. */
export function writeRequestOp(w: ProtoWriter, op: RequestOp): void {
  if ('range' in op) w.message(1, op.range, writeRangeRequest);
  else if ('put' in op) w.message(2, op.put, writePutRequest);
  else w.message(3, op.deleteRange, writeDeleteRangeRequest);
}

/** Writes a `TxnRequest` body: compare=1, success=2, failure=3 (all repeated). */
export function writeTxnRequest(w: ProtoWriter, request: TxnRequest): void {
  for (const compare of request.compare) w.message(1, compare, writeCompare);
  for (const op of request.success) w.message(2, op, writeRequestOp);
  for (const op of request.failure) w.message(3, op, writeRequestOp);
}

const RESPONSE_OP_FIELDS = messageFields('ResponseOp', {
  1: ['response_range', LEN],
  2: ['response_put', LEN],
  3: ['response_delete_range', LEN],
  4: ['response_txn', LEN],
});

/**
 * Decodes a `ResponseOp` sub-message (oneof response_range=1, response_put=2, response_delete_range=3; the
 * last member on the wire wins, as in protobuf). A nested `response_txn`=4 (never requested by this client) or
 * no member at all is a `PROTOCOL` error.
 */
export function readResponseOp(r: ProtoReader): ResponseOp {
  const outer = r.enter();
  let op: ResponseOp | undefined;
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === RESPONSE_OP_FIELDS.tags.response_range || tag === RESPONSE_OP_FIELDS.tags.response_put || tag === RESPONSE_OP_FIELDS.tags.response_delete_range) {
        const inner = r.enter();
        if (tag === RESPONSE_OP_FIELDS.tags.response_range) op = { range: readRangeResponse(r) };
        else if (tag === RESPONSE_OP_FIELDS.tags.response_put) op = { put: readPutResponse(r) };
        else op = { deleteRange: readDeleteRangeResponse(r) };
        r.leave(inner);
      } else if (tag === RESPONSE_OP_FIELDS.tags.response_txn) {
        throw new WireFault('nested transactions are not supported');
      } else r.skip(tag, RESPONSE_OP_FIELDS);
    }
    if (op === undefined) throw new EtcdError('PROTOCOL', 'ResponseOp field response: no member set');
  } catch (error) {
    throw r.fail(error, RESPONSE_OP_FIELDS);
  }
  r.leave(outer);
  return op;
}

const TXN_RESPONSE_FIELDS = messageFields('TxnResponse', {
  1: ['header', LEN],
  2: ['succeeded', VARINT],
  3: ['responses', LEN],
});

/** Decodes a `TxnResponse` from `r.pos` to `r.limit`: header=1, succeeded=2, responses=3. */
export function readTxnResponse(r: ProtoReader): TxnResponse {
  let header = EMPTY_HEADER;
  let succeeded = false;
  const responses: ResponseOp[] = [];
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === TXN_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === TXN_RESPONSE_FIELDS.tags.succeeded) succeeded = r.bool();
      else if (tag === TXN_RESPONSE_FIELDS.tags.responses) responses.push(readResponseOp(r));
      else r.skip(tag, TXN_RESPONSE_FIELDS);
    }
  } catch (error) {
    throw r.fail(error, TXN_RESPONSE_FIELDS);
  }
  return { header, succeeded, responses };
}
