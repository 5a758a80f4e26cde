import { FlannelError } from '@flannel-ts/core';
import { EtcdError } from '@flannel-ts/etcd-client';

/** Removes `secret` (the etcd password) from `text` wherever it appears. */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

/**
 * Turns an etcd failure of `operation` into a `FlannelError`: `DATASTORE_AUTH_FAILED` for refused
 * credentials or a failed TLS handshake, `ABORTED` once the client is closed, `DATASTORE_UNAVAILABLE`
 * (retryable) otherwise. Passes `FlannelError`s through. The `cause` is the typed `EtcdError` itself (its
 * `code`, `reason` and `compactRevision` survive, see {@link etcdErrorOf}); the password never reaches the
 * message, and a cause whose text would contain it is replaced by the redacted text.
 */
export function toDatastoreError(error: unknown, operation: string, password?: string): FlannelError {
  if (FlannelError.isInstance(error)) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const detail = redact(raw, password);
  const cause = EtcdError.isInstance(error) && detail === raw ? error : new Error(detail);
  const code = EtcdError.isInstance(error) ? error.code : undefined;
  if (code === 'AUTH_FAILED' || code === 'PERMISSION_DENIED') {
    return new FlannelError('DATASTORE_AUTH_FAILED', `etcd refused the credentials while trying to ${operation}: ${detail}`, {
      cause,
    });
  }
  if (code === 'TLS_FAILED') {
    return new FlannelError(
      'DATASTORE_AUTH_FAILED',
      `TLS connection to etcd failed while trying to ${operation} (check the etcd CA, certificate and key files): ${detail}`,
      { cause },
    );
  }
  if (code === 'CLOSED' || code === 'ABORTED') {
    return new FlannelError('ABORTED', `cannot ${operation}: the etcd subnet manager was closed`, { cause });
  }
  return new FlannelError('DATASTORE_UNAVAILABLE', `etcd request failed while trying to ${operation}: ${detail}`, {
    cause,
  });
}

/**
 * The `EtcdError` behind `error`: `error` itself, or the `cause` `toDatastoreError` kept. Lets callers
 * branch on `code` (`COMPACTED`…) instead of matching message text.
 */
export function etcdErrorOf(error: unknown): EtcdError | undefined {
  if (EtcdError.isInstance(error)) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return EtcdError.isInstance(cause) ? cause : undefined;
}
