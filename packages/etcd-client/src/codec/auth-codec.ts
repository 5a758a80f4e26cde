// Codecs of etcdserverpb.AuthenticateRequest / AuthenticateResponse. The password and the token pass through
// here; no error message built in this file ever includes a field's value.
import type { AuthenticateRequest, AuthenticateResponse } from '../messages.js';
import { EMPTY_HEADER, readResponseHeader } from './kv-codec.js';
import { LEN, messageFields, ProtoReader } from './proto-reader.js';
import type { ProtoWriter } from './proto-writer.js';

/** Writes an `AuthenticateRequest` body: name=1, password=2. */
export function writeAuthenticateRequest(w: ProtoWriter, request: AuthenticateRequest): void {
  w.string(1, request.name);
  w.string(2, request.password);
}

const AUTHENTICATE_RESPONSE_FIELDS = messageFields('AuthenticateResponse', { 1: ['header', LEN], 2: ['token', LEN] });

/** Decodes an `AuthenticateResponse` from `r.pos` to `r.limit`: header=1, token=2. */
export function readAuthenticateResponse(r: ProtoReader): AuthenticateResponse {
  let header = EMPTY_HEADER;
  let token = '';
  try {
    while (r.more()) {
      const tag = r.tag();
      if (tag === AUTHENTICATE_RESPONSE_FIELDS.tags.header) header = readResponseHeader(r);
      else if (tag === AUTHENTICATE_RESPONSE_FIELDS.tags.token) token = r.string();
      else r.skip(tag, AUTHENTICATE_RESPONSE_FIELDS);
    }
  } catch (error) {
    throw r.fail(error, AUTHENTICATE_RESPONSE_FIELDS);
  }
  return { header, token };
}
