import { FlannelError } from '@flannel-ts/core';
import { KubeError } from '@flannel-ts/kube-client';

/** Whether the API server refused our identity or permissions (401, 403, TLS): retrying will not help. */
export function isAuthFailure(error: unknown): boolean {
  return KubeError.isInstance(error) && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN' || error.code === 'TLS_FAILED');
}

/** Wraps a client error into the `FlannelError` the SubnetManager contract promises, keeping it as `cause`. */
export function toFlannelError(error: unknown, message: string): FlannelError {
  if (FlannelError.isInstance(error)) return error;
  if (KubeError.isInstance(error) && error.code === 'ABORTED') return new FlannelError('ABORTED', 'operation aborted', { cause: error });
  if (isAuthFailure(error)) return new FlannelError('DATASTORE_AUTH_FAILED', message, { cause: error });
  const retryable = !KubeError.isInstance(error) || error.retryable;
  return new FlannelError('DATASTORE_UNAVAILABLE', message, { cause: error, isRetryable: retryable });
}

/** Go's `time.Duration` text for whole seconds and minutes (`10m0s`, `30s`), as flannel prints it. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours}h${minutes % 60}m${seconds % 60}s`;
  if (minutes > 0) return `${minutes}m${seconds % 60}s`;
  return ms < 1000 ? `${ms}ms` : `${seconds}s`;
}
