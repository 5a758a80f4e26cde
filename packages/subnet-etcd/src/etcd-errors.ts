import { FlannelError } from '@flannel-ts/core';
import { etcd3 } from './cjs-dependencies.js';

const { EtcdAuthenticationFailedError, EtcdInvalidAuthTokenError, EtcdPermissionDeniedError, GRPCUnauthenticatedError } = etcd3;

const TLS_FAILURE = /certificate|ssl|tls|handshake|x509|self.signed|unknown ca|bad certificate/i;

/** Removes `secret` (the etcd password) from `text` wherever it appears. */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

/**
 * Turns an etcd3/gRPC failure of `operation` into a `FlannelError`: `DATASTORE_AUTH_FAILED` for refused
 * credentials or a failed TLS handshake, `DATASTORE_UNAVAILABLE` (retryable) otherwise. Passes
 * `FlannelError`s through. The password never reaches the message (nor the `cause`, which is rebuilt
 * from the redacted text).
 */
export function toDatastoreError(error: unknown, operation: string, password?: string): FlannelError {
  if (FlannelError.isInstance(error)) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const detail = redact(raw, password);
  const cause = new Error(detail);
  if (
    error instanceof EtcdAuthenticationFailedError ||
    error instanceof EtcdPermissionDeniedError ||
    error instanceof EtcdInvalidAuthTokenError ||
    error instanceof GRPCUnauthenticatedError
  ) {
    return new FlannelError('DATASTORE_AUTH_FAILED', `etcd refused the credentials while trying to ${operation}: ${detail}`, {
      cause,
    });
  }
  if (TLS_FAILURE.test(detail)) {
    return new FlannelError(
      'DATASTORE_AUTH_FAILED',
      `TLS connection to etcd failed while trying to ${operation} (check the etcd CA, certificate and key files): ${detail}`,
      { cause },
    );
  }
  return new FlannelError('DATASTORE_UNAVAILABLE', `etcd request failed while trying to ${operation}: ${detail}`, {
    cause,
  });
}
