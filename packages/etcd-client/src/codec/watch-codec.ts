// Codecs of the Watch stream: etcdserverpb.WatchRequest (create/cancel/progress) out, WatchResponse with
// mvccpb.Event in.
import type { KeyValue, WatchCreateRequest, WatchEvent, WatchRequest, WatchResponse } from '../messages.js';
import { EMPTY_HEADER, readKeyValue, readResponseHeader } from './kv-codec.js';
import { EMPTY_BYTES, LEN, messageFields, ProtoReader, VARINT, WireFault } from './proto-reader.js';
import type { ProtoWriter } from './proto-writer.js';

/**
 * Writes a `WatchCreateRequest` body: key=1, range_end=2, start_revision=3, progress_notify=4, prev_kv=6,
 * watch_id=7, fragment=8 (filters=5 is not used by this client).
 */
export function writeWatchCreateRequest(w: ProtoWriter, request: WatchCreateRequest): void {
  w.bytes(1, request.key);
  w.bytes(2, request.rangeEnd);
  w.int64(3, request.startRevision);
  w.bool(4, request.progressNotify);
  w.bool(6, request.prevKv);
  w.int64(7, request.watchId);
  w.bool(8, request.fragment);
}

const writeWatchCancelRequest = (w: ProtoWriter, watchId: bigint): void => w.int64(1, watchId);
const writeNothing = (): void => {};

/**
 * Writes a `WatchRequest` body: the oneof request_union member create_request=1, cancel_request=2
 * (`WatchCancelRequest` watch_id=1) or progress_request=3 (empty `WatchProgressRequest`).
 */
export function writeWatchRequest(w: ProtoWriter, request: WatchRequest): void {
  if ('create' in request) w.message(1, request.create, writeWatchCreateRequest);
  else if ('cancel' in request) w.message(2, request.cancel.watchId, writeWatchCancelRequest);
  else w.message(3, undefined, writeNothing);
}

const EMPTY_KEY_VALUE: KeyValue = { key: EMPTY_BYTES, createRevision: 0n, modRevision: 0n, version: 0n, value: EMPTY_BYTES, lease: 0n };

const EVENT_FIELDS = messageFields('Event', { 1: ['type', VARINT], 2: ['kv', LEN], 3: ['prev_kv', LEN] });

/**
 * Decodes an `mvccpb.Event` sub-message: type=1 (PUT=0, DELETE=1), kv=2, prev_kv=3. An event type this
 * client does not know is a `PROTOCOL` error rather than an event silently misread.
 */
export function readWatchEvent(r: ProtoReader): WatchEvent {
  const outer = r.enter();
  let type = 0;
  let kv = EMPTY_KEY_VALUE;
  let prevKv: KeyValue | undefined;
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === EVENT_FIELDS.tags.kv) kv = readKeyValue(r);
      else if (tag === EVENT_FIELDS.tags.type) type = r.int32();
      else if (tag === EVENT_FIELDS.tags.prev_kv) prevKv = readKeyValue(r);
      else r.skip(tag, EVENT_FIELDS);
    }
    if (type !== 0 && type !== 1) {
      r.field = 1;
      throw new WireFault(`unknown event type ${type} (expected 0 PUT or 1 DELETE)`);
    }
  } catch (error) {
    throw r.fail(error, EVENT_FIELDS);
  }
  r.leave(outer);
  const eventType = type === 0 ? 'put' : 'delete';
  return prevKv === undefined ? { type: eventType, kv } : { type: eventType, kv, prevKv };
}

const WATCH_RESPONSE_FIELDS = messageFields('WatchResponse', {
  1: ['header', LEN],
  2: ['watch_id', VARINT],
  3: ['created', VARINT],
  4: ['canceled', VARINT],
  5: ['compact_revision', VARINT],
  6: ['cancel_reason', LEN],
  7: ['fragment', VARINT],
  11: ['events', LEN],
});

/**
 * Decodes a `WatchResponse` from `r.pos` to `r.limit`: header=1, watch_id=2, created=3, canceled=4,
 * compact_revision=5, cancel_reason=6, fragment=7, events=11.
 */
export function readWatchResponse(r: ProtoReader): WatchResponse {
  let header = EMPTY_HEADER;
  let watchId = 0n;
  let created = false;
  let canceled = false;
  let compactRevision = 0n;
  let cancelReason = '';
  let fragment = false;
  const events: WatchEvent[] = [];
  try {
    while (r.more()) {
      const tag = r.tag();
      switch (tag) {
        case WATCH_RESPONSE_FIELDS.tags.events:
          events.push(readWatchEvent(r));
          break;
        case WATCH_RESPONSE_FIELDS.tags.header:
          header = readResponseHeader(r);
          break;
        case WATCH_RESPONSE_FIELDS.tags.watch_id:
          watchId = r.int64();
          break;
        case WATCH_RESPONSE_FIELDS.tags.created:
          created = r.bool();
          break;
        case WATCH_RESPONSE_FIELDS.tags.canceled:
          canceled = r.bool();
          break;
        case WATCH_RESPONSE_FIELDS.tags.compact_revision:
          compactRevision = r.int64();
          break;
        case WATCH_RESPONSE_FIELDS.tags.cancel_reason:
          cancelReason = r.string();
          break;
        case WATCH_RESPONSE_FIELDS.tags.fragment:
          fragment = r.bool();
          break;
        default:
          r.skip(tag, WATCH_RESPONSE_FIELDS);
      }
    }
  } catch (error) {
    throw r.fail(error, WATCH_RESPONSE_FIELDS);
  }
  return { header, watchId, created, canceled, compactRevision, cancelReason, fragment, events };
}
