// Codecs of the etcdserverpb Lease messages this client uses: LeaseGrant, LeaseRevoke, LeaseTimeToLive.
import type {
  LeaseGrantRequest,
  LeaseGrantResponse,
  LeaseRevokeRequest,
  LeaseRevokeResponse,
  LeaseTimeToLiveRequest,
  LeaseTimeToLiveResponse,
} from '../messages.js';
import { EMPTY_HEADER, readResponseHeader } from './kv-codec.js';
import { LEN, messageFields, ProtoReader, VARINT } from './proto-reader.js';
import type { ProtoWriter } from './proto-writer.js';

/** Writes a `LeaseGrantRequest` body: TTL=1, ID=2. */
export function writeLeaseGrantRequest(w: ProtoWriter, request: LeaseGrantRequest): void {
  w.int64(1, request.ttl);
  w.int64(2, request.id);
}

const LEASE_GRANT_RESPONSE_FIELDS = messageFields('LeaseGrantResponse', {
  1: ['header', LEN],
  2: ['ID', VARINT],
  3: ['TTL', VARINT],
  4: ['error', LEN],
});

/** Decodes a `LeaseGrantResponse` from `r.pos` to `r.limit`: header=1, ID=2, TTL=3, error=4. */
export function readLeaseGrantResponse(r: ProtoReader): LeaseGrantResponse {
  let header = EMPTY_HEADER;
  let id = 0n;
  let ttl = 0n;
  let error = '';
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === LEASE_GRANT_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === LEASE_GRANT_RESPONSE_FIELDS.tags.ID) id = r.int64();
      else if (tag === LEASE_GRANT_RESPONSE_FIELDS.tags.TTL) ttl = r.int64();
      else if (tag === LEASE_GRANT_RESPONSE_FIELDS.tags.error) error = r.string();
      else r.skip(tag, LEASE_GRANT_RESPONSE_FIELDS);
    }
  } catch (fault) {
    throw r.fail(fault, LEASE_GRANT_RESPONSE_FIELDS);
  }
  return { header, id, ttl, error };
}

/** Writes a `LeaseRevokeRequest` body: ID=1. */
export function writeLeaseRevokeRequest(w: ProtoWriter, request: LeaseRevokeRequest): void {
  w.int64(1, request.id);
}

const LEASE_REVOKE_RESPONSE_FIELDS = messageFields('LeaseRevokeResponse', { 1: ['header', LEN] });

/** Decodes a `LeaseRevokeResponse` from `r.pos` to `r.limit`: header=1. */
export function readLeaseRevokeResponse(r: ProtoReader): LeaseRevokeResponse {
  let header = EMPTY_HEADER;
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === LEASE_REVOKE_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else r.skip(tag, LEASE_REVOKE_RESPONSE_FIELDS);
    }
  } catch (fault) {
    throw r.fail(fault, LEASE_REVOKE_RESPONSE_FIELDS);
  }
  return { header };
}

/** Writes a `LeaseTimeToLiveRequest` body: ID=1, keys=2. */
export function writeLeaseTimeToLiveRequest(w: ProtoWriter, request: LeaseTimeToLiveRequest): void {
  w.int64(1, request.id);
  w.bool(2, request.keys);
}

const LEASE_TIME_TO_LIVE_RESPONSE_FIELDS = messageFields('LeaseTimeToLiveResponse', {
  1: ['header', LEN],
  2: ['ID', VARINT],
  3: ['TTL', VARINT],
  4: ['grantedTTL', VARINT],
  5: ['keys', LEN],
});

/** Decodes a `LeaseTimeToLiveResponse` from `r.pos` to `r.limit`: header=1, ID=2, TTL=3 (-1 when expired), grantedTTL=4, keys=5. */
export function readLeaseTimeToLiveResponse(r: ProtoReader): LeaseTimeToLiveResponse {
  let header = EMPTY_HEADER;
  let id = 0n;
  let ttl = 0n;
  let grantedTtl = 0n;
  const keys: Buffer[] = [];
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === LEASE_TIME_TO_LIVE_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === LEASE_TIME_TO_LIVE_RESPONSE_FIELDS.tags.ID) id = r.int64();
      else if (tag === LEASE_TIME_TO_LIVE_RESPONSE_FIELDS.tags.TTL) ttl = r.int64();
      else if (tag === LEASE_TIME_TO_LIVE_RESPONSE_FIELDS.tags.grantedTTL) grantedTtl = r.int64();
      else if (tag === LEASE_TIME_TO_LIVE_RESPONSE_FIELDS.tags.keys) keys.push(r.bytes());
      else r.skip(tag, LEASE_TIME_TO_LIVE_RESPONSE_FIELDS);
    }
  } catch (fault) {
    throw r.fail(fault, LEASE_TIME_TO_LIVE_RESPONSE_FIELDS);
  }
  return { header, id, ttl, grantedTtl, keys };
}
