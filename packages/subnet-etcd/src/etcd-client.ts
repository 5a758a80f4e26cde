import { FlannelError, type Logger } from '@flannel-ts/core';
import { createEtcdClient as connectEtcd, type EtcdClient, type EtcdClientOptions, type EtcdTlsOptions } from '@flannel-ts/etcd-client';
import { normalizeEndpoints, type EtcdSubnetManagerOptions } from './etcd-subnet-manager-options.js';
import { readEtcdTlsFiles } from './etcd-tls-files.js';

/** The insecure-connection warning flannel logs when no client certificate is configured. */
export const INSECURE_WARNING = 'no certificate provided: connecting to etcd with http. This is insecure';

/**
 * Builds the etcd client the way flanneld builds its `clientv3` client (`pkg/subnet/etcd/registry.go`): endpoints split on
 * commas, TLS with a client certificate only when both key and cert files are set (CA optional: the system
 * roots otherwise), username/password auth. Requests go to the first reachable endpoint and move on to the
 * next when one is down. Throws `FLAG_INVALID` for a malformed endpoint or an unreadable or unparseable TLS
 * file (a key that is no PEM key or not the certificate's, a CA file without a certificate), before any
 * connection is made.
 *
 * @example
 * ```ts
 * const client = createEtcdClient({ endpoints: 'https://10.0.0.1:2379', keyFile, certFile, caFile }, logger);
 * ```
 */
export function createEtcdClient(options: EtcdSubnetManagerOptions, logger: Logger): EtcdClient {
  const hosts = normalizeEndpoints(options.endpoints);
  if (hosts.length === 0) {
    throw new FlannelError('FLAG_INVALID', `etcd endpoints "${String(options.endpoints)}" is invalid: at least one URL is required`);
  }
  for (const host of hosts) {
    // http(s)://host:port or host:port (etcdctl's form, which clientv3 accepts); a path or credentials are not endpoints.
    if (!/^(https?:\/\/)?[^/@]+\/?$/.test(host)) {
      throw new FlannelError('FLAG_INVALID', `etcd endpoint "${host}" is invalid: must be http://host:port, https://host:port or host:port`);
    }
  }
  const useClientCertificate = Boolean(options.keyFile) && Boolean(options.certFile);
  let tls: EtcdTlsOptions | undefined;
  if (useClientCertificate) {
    tls = readEtcdTlsFiles({ keyFile: options.keyFile, certFile: options.certFile, ...(options.caFile ? { caFile: options.caFile } : {}) });
  } else {
    logger.warn(INSECURE_WARNING);
    // Server-authenticated TLS without a client certificate still honours the CA.
    if (options.caFile && hosts.some((host) => host.startsWith('https://'))) tls = readEtcdTlsFiles({ caFile: options.caFile });
  }
  const clientOptions: EtcdClientOptions = {
    endpoints: hosts.map((host) => host.replace(/\/$/, '')),
    requestTimeoutMs: options.requestTimeout ?? 10_000,
    ...(tls ? { tls } : {}),
    ...(options.username !== undefined && options.username !== ''
      ? { auth: { username: options.username, password: options.password ?? '' } }
      : {}),
  };
  try {
    return connectEtcd(clientOptions);
  } catch (error) {
    // The client's own endpoint and option checks (RangeError naming the value and the rule).
    if (error instanceof RangeError) throw new FlannelError('FLAG_INVALID', error.message, { cause: error });
    throw error;
  }
}
