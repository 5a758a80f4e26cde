import { EtcdError } from './etcd-error.js';
import { serverError } from './grpc/etcd-server-errors.js';
import { failureMessage } from './grpc/status.js';
import type { WatchResponse } from './messages.js';

const WATCH_PATH = '/etcdserverpb.Watch/Watch';

/**
 * The typed {@link EtcdError} for a watch etcd cancelled (`canceled: true`): `COMPACTED` with
 * `compactRevision` when the start revision was compacted; the code and `reason` of the etcd error its
 * `cancel_reason` names (`AUTH_FAILED`/`INVALID_AUTH_TOKEN`, `PERMISSION_DENIED`…); `WATCH_CANCELED` otherwise.
 * Mirrors clientv3's `watch.go`, which turns a cancel into `WatchResponse.Err()`.
 *
 * @example
 * ```ts
 * for await (const response of stream) {
 *   if (response.canceled) throw watchCanceledError(response);
 * }
 * ```
 */
export function watchCanceledError(response: WatchResponse, endpoint?: string): EtcdError {
  const reason = response.cancelReason === '' ? 'no reason given' : response.cancelReason;
  const message = failureMessage(WATCH_PATH, endpoint, `watch ${response.watchId} canceled by etcd: ${reason}`);
  if (response.compactRevision !== 0n) {
    return new EtcdError('COMPACTED', message, { endpoint, reason: 'COMPACTED', compactRevision: response.compactRevision });
  }
  const known = serverError(response.cancelReason);
  if (known) return new EtcdError(known.code, message, { endpoint, reason: known.reason });
  return new EtcdError('WATCH_CANCELED', message, { endpoint });
}
