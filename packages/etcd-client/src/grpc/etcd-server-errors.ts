import type { EtcdErrorCode, EtcdServerReason } from '../etcd-error.js';
import { GrpcStatus } from './status-codes.js';

/** What one etcd server error means to this client. */
export interface ServerErrorInfo {
  readonly reason: EtcdServerReason;
  readonly code: EtcdErrorCode;
}

// etcd's own descriptions (api/v3rpc/rpctypes/error.go, mvcc/kvstore.go), as clientv3 compares them
// (`rpctypes.Error` maps a status's description back to the typed error by exact text).
const SERVER_ERRORS: ReadonlyMap<string, ServerErrorInfo> = new Map([
  ['etcdserver: invalid auth token', { reason: 'INVALID_AUTH_TOKEN', code: 'AUTH_FAILED' }],
  ['etcdserver: revision of auth store is old', { reason: 'AUTH_OLD_REVISION', code: 'AUTH_FAILED' }],
  ['etcdserver: user name is empty', { reason: 'USER_EMPTY', code: 'AUTH_FAILED' }],
  ['etcdserver: authentication is not enabled', { reason: 'AUTH_NOT_ENABLED', code: 'REQUEST_FAILED' }],
  ['etcdserver: authentication failed, invalid user ID or password', { reason: 'AUTH_INVALID_CREDENTIALS', code: 'AUTH_FAILED' }],
  ['etcdserver: permission denied', { reason: 'PERMISSION_DENIED', code: 'PERMISSION_DENIED' }],
  ['etcdserver: mvcc: required revision has been compacted', { reason: 'COMPACTED', code: 'COMPACTED' }],
  ['mvcc: required revision has been compacted', { reason: 'COMPACTED', code: 'COMPACTED' }],
  ['etcdserver: mvcc: required revision is a future revision', { reason: 'FUTURE_REVISION', code: 'REQUEST_FAILED' }],
  ['mvcc: required revision is a future revision', { reason: 'FUTURE_REVISION', code: 'REQUEST_FAILED' }],
  ['etcdserver: no leader', { reason: 'NO_LEADER', code: 'UNAVAILABLE' }],
  ['etcdserver: requested lease not found', { reason: 'LEASE_NOT_FOUND', code: 'REQUEST_FAILED' }],
] satisfies [string, ServerErrorInfo][]);

// A gRPC error quoted as text (a watch's cancel_reason): `rpc error: code = Unauthenticated desc = <etcd's text>`.
const QUOTED_STATUS_PREFIX = 'rpc error: code = ';
const QUOTED_DESC = ' desc = ';

/** etcd's description inside a cancel reason, without the `rpc error: code = … desc = ` wrapper gRPC-Go adds. */
export function serverDescription(text: string): string {
  if (!text.startsWith(QUOTED_STATUS_PREFIX)) return text;
  const at = text.indexOf(QUOTED_DESC);
  return at < 0 ? text : text.slice(at + QUOTED_DESC.length);
}

/** The known etcd server error `text` names (a `grpc-message` or a watch cancel reason), if any. */
export function serverError(text: string): ServerErrorInfo | undefined {
  return SERVER_ERRORS.get(serverDescription(text));
}

/** The {@link EtcdErrorCode} for a non-zero gRPC status whose message is not a known etcd error. */
export function codeForUnknownStatus(status: number): EtcdErrorCode {
  switch (status) {
    case GrpcStatus.UNAVAILABLE:
      return 'UNAVAILABLE';
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 'DEADLINE_EXCEEDED';
    case GrpcStatus.UNAUTHENTICATED:
      return 'AUTH_FAILED';
    case GrpcStatus.PERMISSION_DENIED:
      return 'PERMISSION_DENIED';
    case GrpcStatus.OUT_OF_RANGE:
      return 'COMPACTED';
    default:
      return 'REQUEST_FAILED';
  }
}

/** Reasons after which clientv3 fetches a new token and retries (`shouldRefreshToken` in `retry_interceptor.go`). */
export function needsTokenRefresh(reason: EtcdServerReason | undefined): boolean {
  return reason === 'INVALID_AUTH_TOKEN' || reason === 'AUTH_OLD_REVISION' || reason === 'USER_EMPTY';
}
