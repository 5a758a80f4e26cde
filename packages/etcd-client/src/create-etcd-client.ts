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

/** Parses and checks the endpoint list: `http://` or `https://` URLs with a host and nothing else. */
export function parseEndpoints(endpoints: readonly string[]): URL[] {
  if (endpoints.length === 0) throw new RangeError('etcd endpoints [] is invalid: must list at least one http:// or https:// URL');
  return endpoints.map((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new RangeError(`etcd endpoint ${JSON.stringify(text)} is invalid: must be an http:// or https:// URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`etcd endpoint ${JSON.stringify(url.origin)} is invalid: the scheme must be http or https`);
    }
    if (url.hostname === '') throw new RangeError(`etcd endpoint ${JSON.stringify(text)} is invalid: it has no host`);
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

/**
 * Creates an {@link EtcdClient} speaking gRPC over `node:http2`: one lazily dialled HTTP/2 session per
 * endpoint, failover to the next endpoint, TLS for `https://` endpoints, token auth, keepalive PINGs on
 * connections carrying a watch. Idle connections do not keep the process alive. Throws a `RangeError` on
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
  const endpoints = parseEndpoints(options.endpoints);
  if (options.auth && options.auth.username === '') throw new RangeError('etcd username "" is invalid: must not be empty');
  const transport = new Transport({
    endpoints,
    tls: options.tls,
    requestTimeoutMs: checkMs('requestTimeoutMs', options.requestTimeoutMs, DEFAULTS.requestTimeoutMs, 1),
    dialTimeoutMs: checkMs('dialTimeoutMs', options.dialTimeoutMs, DEFAULTS.dialTimeoutMs, 1),
    keepaliveIntervalMs: checkMs('keepaliveIntervalMs', options.keepaliveIntervalMs, DEFAULTS.keepaliveIntervalMs, 0),
    keepaliveTimeoutMs: checkMs('keepaliveTimeoutMs', options.keepaliveTimeoutMs, DEFAULTS.keepaliveTimeoutMs, 1),
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
