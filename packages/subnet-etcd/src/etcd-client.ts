import { readFileSync } from 'node:fs';
import { connect, type ConnectionOptions } from 'node:tls';
import { FlannelError, type Logger } from '@flannel-ts/core';
import type { Etcd3, IOptions } from 'etcd3';
import { cockatiel, etcd3 } from './cjs-dependencies.js';
import { normalizeEndpoints, type EtcdSubnetManagerOptions } from './etcd-subnet-manager-options.js';

/** The insecure-connection warning flannel logs when no client certificate is configured. */
export const INSECURE_WARNING = 'no certificate provided: connecting to etcd with http. This is insecure';

function readPem(field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new FlannelError('FLAG_INVALID', `${field} ${path} is invalid: cannot read it (${reason})`, { cause: error });
  }
}

/**
 * Builds the etcd3 client the way flanneld builds its `clientv3` client (facts §3.7): endpoints split on
 * commas, TLS only when both key and cert files are set (CA optional), username/password auth.
 *
 * Fault handling: each request is retried on another endpoint up to 3 times; a failing endpoint is
 * skipped for one second after 3 consecutive failures.
 *
 * @example
 * ```ts
 * const client = createEtcdClient({ endpoints: 'https://10.0.0.1:2379', keyFile, certFile, caFile }, logger);
 * ```
 */
export function createEtcdClient(options: EtcdSubnetManagerOptions, logger: Logger): Etcd3 {
  return buildEtcdClient(options, logger).client;
}

/**
 * Why a TLS handshake with the first https endpoint fails (`unable to verify the first certificate`…), or
 * `undefined` when it succeeds or the endpoint is plain http. gRPC reports a refused handshake only as
 * "No connection established"; this probe recovers the reason for the error message.
 */
export type TlsProbe = () => Promise<string | undefined>;

function tlsProbe(endpoint: string, tlsOptions: ConnectionOptions): TlsProbe {
  return () =>
    new Promise((resolve) => {
      const url = new URL(endpoint);
      const socket = connect({ ...tlsOptions, host: url.hostname, port: Number(url.port || 2379), ALPNProtocols: ['h2'] });
      const done = (reason: string | undefined): void => {
        socket.destroy();
        resolve(reason);
      };
      socket.setTimeout(3_000, () => done(undefined));
      socket.once('secureConnect', () => done(socket.authorized ? undefined : String(socket.authorizationError)));
      socket.once('error', (error: NodeJS.ErrnoException) =>
        done(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? undefined : error.message),
      );
    });
}

/** @internal {@link createEtcdClient} plus a TLS probe for error messages. */
export function buildEtcdClient(options: EtcdSubnetManagerOptions, logger: Logger): { client: Etcd3; probe?: TlsProbe } {
  const hosts = normalizeEndpoints(options.endpoints);
  if (hosts.length === 0) {
    throw new FlannelError('FLAG_INVALID', `etcd endpoints "${String(options.endpoints)}" is invalid: at least one URL is required`);
  }
  for (const host of hosts) {
    if (!/^https?:\/\/[^/]+\/?$/.test(host)) {
      throw new FlannelError('FLAG_INVALID', `etcd endpoint "${host}" is invalid: must be http://host:port or https://host:port`);
    }
  }
  const useTls = Boolean(options.keyFile) && Boolean(options.certFile);
  const clientOptions: IOptions = {
    hosts,
    dialTimeout: options.requestTimeout ?? 10_000,
    defaultCallOptions: (context) =>
      context.isStream ? {} : { deadline: Date.now() + (options.requestTimeout ?? 10_000) },
    faultHandling: {
      global: cockatiel.retry(cockatiel.handleWhen(etcd3.isRecoverableError), { maxAttempts: 3 }),
      host: () =>
        cockatiel.circuitBreaker(cockatiel.handleWhen(etcd3.isRecoverableError), { halfOpenAfter: 1_000, breaker: new cockatiel.ConsecutiveBreaker(3) }),
    },
  };
  if (useTls) {
    const privateKey = readPem('etcd keyfile', options.keyFile as string);
    const certChain = readPem('etcd certfile', options.certFile as string);
    clientOptions.credentials = {
      // An empty root certificate makes gRPC use the system roots, as Go does when no CA is given.
      rootCertificate: options.caFile ? readPem('etcd cafile', options.caFile) : (undefined as unknown as Buffer),
      privateKey,
      certChain,
    };
  } else {
    logger.warn(INSECURE_WARNING);
    if (hosts.some((host) => host.startsWith('https://')) && options.caFile) {
      // Server-authenticated TLS without a client certificate still honours the CA.
      clientOptions.credentials = { rootCertificate: readPem('etcd cafile', options.caFile) };
    }
  }
  if (options.username !== undefined && options.username !== '') {
    clientOptions.auth = { username: options.username, password: options.password ?? '' };
  }
  const secureHost = hosts.find((host) => host.startsWith('https://'));
  const credentials = clientOptions.credentials;
  const probe =
    secureHost === undefined
      ? undefined
      : tlsProbe(secureHost, {
          ...(credentials?.rootCertificate && { ca: credentials.rootCertificate }),
          ...(credentials?.privateKey && { key: credentials.privateKey }),
          ...(credentials?.certChain && { cert: credentials.certChain }),
        });
  return { client: new etcd3.Etcd3(clientOptions), ...(probe && { probe }) };
}
