import type { EtcdCallOptions, EtcdClient, EtcdClientOptions, WatchStream } from './etcd-client.js';
import { Transport } from './grpc/transport.js';
import { GrpcWatchStream } from './grpc/watch-stream.js';
import * as methods from './methods.js';

const DEFAULTS = {
  requestTimeoutMs: 10_000,
  dialTimeoutMs: 5_000,
  keepaliveIntervalMs: 30_000,
  keepaliveTimeoutMs: 10_000,
} as const;

/** The methods a client calls; injectable so the transport can be tested before every codec exists. */
export type EtcdMethods = Pick<
  typeof methods,
  'kvRange' | 'kvPut' | 'kvDeleteRange' | 'kvTxn' | 'leaseGrant' | 'leaseRevoke' | 'leaseTimeToLive' | 'authAuthenticate' | 'watchStream'
>;

const ACCEPTED = 'http://host:port, https://host:port or host:port';
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Parses and checks the endpoint list: `http://` or `https://` URLs with a host and nothing else, or
 * `host:port` without a scheme (etcdctl's form, which clientv3 accepts: `client/v3/internal/endpoint`),
 * taken as `https://` when TLS material is configured and `http://` otherwise.
 */
export function parseEndpoints(endpoints: readonly string[], options: { tls?: boolean } = {}): URL[] {
  if (endpoints.length === 0) throw new RangeError(`etcd endpoints [] is invalid: must list at least one endpoint (${ACCEPTED})`);
  return endpoints.map((text) => {
    const withScheme = SCHEME.test(text) ? text : `${options.tls ? 'https' : 'http'}://${text}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new RangeError(`etcd endpoint ${JSON.stringify(text)} is invalid: must be ${ACCEPTED}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`etcd endpoint ${JSON.stringify(url.protocol + '//' + url.host)} is invalid: the scheme must be http or https (${ACCEPTED})`);
    }
    if (url.hostname === '') throw new RangeError(`etcd endpoint ${JSON.stringify(text)} is invalid: it has no host (${ACCEPTED})`);
    return url;
  });
}

function checkMs(name: string, value: number | undefined, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < minimum) {
    throw new RangeError(`etcd client option ${name} ${String(value)} is invalid: must be a number of ms ≥ ${minimum}`);
  }
  return value;
}

// HTTP/2 window bounds (RFC 9113 §6.9.1): at least the protocol's initial 65,535, at most 2^31 - 1.
const MIN_WINDOW = 65_535;
const MAX_WINDOW = 2 ** 31 - 1;

function checkWindow(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < MIN_WINDOW || value > MAX_WINDOW) {
    throw new RangeError(`etcd client option http2Windows.${name} ${String(value)} is invalid: must be an integer from ${MIN_WINDOW} to ${MAX_WINDOW}`);
  }
  return value;
}

/**
 * Creates an {@link EtcdClient} speaking gRPC over `node:http2`: one lazily dialled HTTP/2 session per
 * endpoint, failover to the next endpoint, TLS for `https://` endpoints, token auth (refreshed as clientv3
 * does), keepalive PINGs on every connection. Idle connections do not keep the process alive. Throws a `RangeError` on
 * invalid options; calls reject with an `EtcdError`.
 *
 * @example
 * ```ts
 * const client = createEtcdClient({ endpoints: ['http://127.0.0.1:2379'] });
 * const { kvs } = await client.range({ key: Buffer.from('/coreos.com/network/config') });
 * client.close();
 * ```
 */
export function createEtcdClient(options: EtcdClientOptions, overrides: { methods?: EtcdMethods } = {}): EtcdClient {
  const m = overrides.methods ?? methods;
  const tls = options.tls;
  const endpoints = parseEndpoints(options.endpoints, { tls: tls !== undefined && (tls.ca !== undefined || tls.cert !== undefined) });
  if (options.auth && options.auth.username === '') throw new RangeError('etcd username "" is invalid: must not be empty');
  const transport = new Transport({
    endpoints,
    tls: options.tls,
    requestTimeoutMs: checkMs('requestTimeoutMs', options.requestTimeoutMs, DEFAULTS.requestTimeoutMs, 1),
    dialTimeoutMs: checkMs('dialTimeoutMs', options.dialTimeoutMs, DEFAULTS.dialTimeoutMs, 1),
    keepaliveIntervalMs: checkMs('keepaliveIntervalMs', options.keepaliveIntervalMs, DEFAULTS.keepaliveIntervalMs, 0),
    keepaliveTimeoutMs: checkMs('keepaliveTimeoutMs', options.keepaliveTimeoutMs, DEFAULTS.keepaliveTimeoutMs, 1),
    streamWindowBytes: checkWindow('streamBytes', options.http2Windows?.streamBytes),
    connectionWindowBytes: checkWindow('connectionBytes', options.http2Windows?.connectionBytes),
    auth: options.auth && { username: options.auth.username, password: options.auth.password, method: m.authAuthenticate },
  });
  const watches = new Set<WatchStream>();
  const call = (options?: EtcdCallOptions): EtcdCallOptions => options ?? {};
  return {
    range: (request, options) => transport.unary(m.kvRange, request, call(options)),
    put: (request, options) => transport.unary(m.kvPut, request, call(options)),
    deleteRange: (request, options) => transport.unary(m.kvDeleteRange, request, call(options)),
    txn: (request, options) => transport.unary(m.kvTxn, request, call(options)),
    leaseGrant: (request, options) => transport.unary(m.leaseGrant, request, call(options)),
    leaseRevoke: (request, options) => transport.unary(m.leaseRevoke, request, call(options)),
    leaseTimeToLive: (request, options) => transport.unary(m.leaseTimeToLive, request, call(options)),
    watch: (watchOptions) => {
      const stream: WatchStream = new GrpcWatchStream({
        method: m.watchStream,
        open: (signal) => transport.openStream(m.watchStream.path, signal, { requireLeader: watchOptions?.requireLeader === true }),
        onDone: () => watches.delete(stream),
      });
      if (transport.closed) stream.close();
      else watches.add(stream);
      return stream;
    },
    close: () => {
      transport.close();
      for (const stream of [...watches]) stream.close();
    },
  };
}
