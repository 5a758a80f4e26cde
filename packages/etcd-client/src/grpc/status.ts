import { EtcdError, type EtcdErrorCode } from '../etcd-error.js';
import { codeForUnknownStatus, serverError } from './etcd-server-errors.js';

export { GrpcStatus } from './status-codes.js';

/** The short RPC name used in messages: `/etcdserverpb.KV/Range` → `KV/Range`. */
export function rpcName(path: string): string {
  return path.replace(/^\/etcdserverpb\./, '');
}

/** `etcd KV/Range on http://127.0.0.1:2379 failed: <reason>` — the shape of every error message. */
export function failureMessage(path: string, endpoint: string | undefined, reason: string): string {
  return `etcd ${rpcName(path)}${endpoint === undefined ? '' : ` on ${endpoint}`} failed: ${reason}`;
}

/** Decodes a percent-encoded `grpc-message` trailer; malformed escapes are kept as they are. */
export function decodeGrpcMessage(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

/** The `grpc-timeout` header value for a deadline in ms (at most 8 digits, as the spec requires). */
export function grpcTimeout(timeoutMs: number): string {
  const ms = Math.max(1, Math.ceil(timeoutMs));
  return ms < 100_000_000 ? `${ms}m` : `${Math.min(99_999_999, Math.ceil(ms / 1000))}S`;
}

/** The {@link EtcdErrorCode} for a non-zero gRPC status and etcd's message. */
export function codeForStatus(status: number, message: string): EtcdErrorCode {
  return serverError(message)?.code ?? codeForUnknownStatus(status);
}

/**
 * The `EtcdError` for a gRPC status received from `endpoint` (`grpc-status` + percent-encoded
 * `grpc-message`). The message carries etcd's own text, e.g. `etcdserver: requested lease not found`.
 */
export function statusError(path: string, endpoint: string, status: number, rawMessage: string | undefined): EtcdError {
  const message = rawMessage === undefined || rawMessage === '' ? `gRPC status ${status}` : decodeGrpcMessage(rawMessage);
  const known = serverError(message);
  return new EtcdError(known?.code ?? codeForUnknownStatus(status), failureMessage(path, endpoint, message), {
    grpcStatus: status,
    endpoint,
    ...(known ? { reason: known.reason } : {}),
  });
}
