// The etcd TLS files, read and parsed before any connection, as flanneld does (`pkg/subnet/etcd/registry.go`
// `newTlsConfig`: etcd's `tlsutil.NewCert` loads the key pair and `tlsutil.NewCertPool` the CA file, and a bad
// file fails start-up). One difference: a CA file without any certificate is refused here, where flannel makes
// an empty pool and every handshake fails later (docs/compatibility.md). Without this, a malformed key only surfaced at the
// first connect, as a connect error retried for ever. Errors name the flag and the file, never its content:
// OpenSSL's reasons ("DECODER routines::unsupported") are fixed texts, so they are kept; anything else is
// reduced to its code.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { FlannelError } from '@flannel-ts/core';
import type { EtcdTlsOptions } from '@flannel-ts/etcd-client';

/** Where the etcd TLS material comes from (flanneld's `--etcd-keyfile`, `--etcd-certfile`, `--etcd-cafile`). */
export interface EtcdTlsFiles {
  readonly keyFile?: string;
  readonly certFile?: string;
  readonly caFile?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/gu;

function invalid(field: string, path: string, rule: string, cause?: unknown): FlannelError {
  return new FlannelError('FLAG_INVALID', `${field} ${path} is invalid: ${rule}`, cause === undefined ? undefined : { cause: safeCause(cause) });
}

/** OpenSSL's own reason, which quotes no input; otherwise only the error's code. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/^error:[0-9A-F]{8}:[A-Za-z0-9 ]+ routines::[A-Za-z0-9 ]+$/u.test(message)) return message;
  return (error as { code?: string } | undefined)?.code ?? 'unparseable';
}

/** A cause that carries the reason and code only (a parser's error may quote the bytes it choked on). */
function safeCause(error: unknown): Error {
  const cause = new Error(reason(error));
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') Object.assign(cause, { code });
  return cause;
}

function readPem(field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new FlannelError('FLAG_INVALID', `${field} ${path} is invalid: cannot read it (${code})`, { cause: error });
  }
}

function checkParses(field: string, path: string, rule: string, parse: () => void): void {
  try {
    parse();
  } catch (error) {
    throw invalid(field, path, `${rule} (${reason(error)})`, error);
  }
}

/**
 * Reads and checks the TLS files: the key is a PEM private key (unencrypted), the certificate a PEM
 * certificate that belongs to that key, the CA file holds at least one PEM certificate and each parses.
 * Throws `FLAG_INVALID` naming the flag's file and the rule; the message never holds the files' content.
 * The key pair is read only when both files are given (flanneld ignores one without the other).
 *
 * @example
 * ```ts
 * readEtcdTlsFiles({ keyFile: '/etc/flannel/etcd.key', certFile: '/etc/flannel/etcd.crt', caFile: '/etc/flannel/ca.crt' });
 * // throws "etcd keyfile /etc/flannel/etcd.key is invalid: must be a PEM private key (error:1E08010C:DECODER routines::unsupported)"
 * ```
 */
export function readEtcdTlsFiles(files: EtcdTlsFiles): EtcdTlsOptions {
  const tls: { key?: Buffer; cert?: Buffer; ca?: Buffer } = {};
  if (files.keyFile && files.certFile) {
    const key = readPem('etcd keyfile', files.keyFile);
    const cert = readPem('etcd certfile', files.certFile);
    checkParses('etcd keyfile', files.keyFile, 'must be a PEM private key, unencrypted', () => createSecureContext({ key }));
    checkParses('etcd certfile', files.certFile, 'must be a PEM certificate', () => createSecureContext({ cert }));
    checkParses('etcd keyfile', files.keyFile, `must be the private key of etcd certfile ${files.certFile}`, () => createSecureContext({ key, cert }));
    tls.key = key;
    tls.cert = cert;
  }
  if (files.caFile) {
    const ca = readPem('etcd cafile', files.caFile);
    const blocks = ca.toString('latin1').match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) throw invalid('etcd cafile', files.caFile, 'must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----)');
    blocks.forEach((block, index) => {
      checkParses('etcd cafile', files.caFile!, `certificate ${index + 1} must be a valid PEM certificate`, () => new X509Certificate(block));
    });
    tls.ca = ca;
  }
  return tls;
}
