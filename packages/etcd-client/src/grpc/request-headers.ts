import type { OutgoingHttpHeaders } from 'node:http2';
import { grpcTimeout } from './status.js';

/** The `user-agent` this client sends. */
export const USER_AGENT = 'flannel-ts-etcd-client/0.1 (node:http2)';

/**
 * The HTTP/2 request headers of a gRPC call to `path`: POST, `content-type: application/grpc`,
 * `te: trailers`, `grpc-timeout` when a deadline applies (unary calls only), the etcd auth `token` and
 * `hasleader: true` when the call requires the member to have a leader.
 */
export function requestHeaders(path: string, options: { timeoutMs?: number; token?: string; requireLeader?: boolean } = {}): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
    'user-agent': USER_AGENT,
  };
  if (options.timeoutMs !== undefined) headers['grpc-timeout'] = grpcTimeout(options.timeoutMs);
  // An empty token (etcd had auth disabled when we authenticated, as clientv3's getToken) is not sent.
  if (options.token !== undefined && options.token !== '') headers.token = options.token;
  if (options.requireLeader === true) headers.hasleader = 'true';
  return headers;
}
