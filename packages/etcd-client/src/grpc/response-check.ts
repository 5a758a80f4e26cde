import type { IncomingHttpHeaders } from 'node:http2';
import { EtcdError } from '../etcd-error.js';
import { failureMessage } from './status.js';

/**
 * Checks the initial response headers of a gRPC call: HTTP status 200 and an `application/grpc`
 * content type. Returns the `EtcdError` to fail with, or `undefined` when they are fine. A gateway's
 * 502/503/504 counts as `UNAVAILABLE`; anything else that is not gRPC is `PROTOCOL`.
 */
export function checkResponseHeaders(path: string, endpoint: string, headers: IncomingHttpHeaders): EtcdError | undefined {
  const status = Number(headers[':status']);
  if (status !== 200) {
    const code = status === 502 || status === 503 || status === 504 ? 'UNAVAILABLE' : 'PROTOCOL';
    return new EtcdError(code, failureMessage(path, endpoint, `HTTP status ${String(headers[':status'])} is not a gRPC response (expected 200)`), { endpoint });
  }
  const contentType = headers['content-type'];
  if (typeof contentType !== 'string' || !/^application\/grpc($|[+;])/.test(contentType)) {
    return new EtcdError('PROTOCOL', failureMessage(path, endpoint, `content-type ${JSON.stringify(contentType ?? null)} is not a gRPC response (expected application/grpc)`), { endpoint });
  }
  return undefined;
}

/** Reads a header that must be a single value. */
export function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}
