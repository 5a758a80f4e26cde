// flanneld's health endpoints (`main.go` `mustRunHealthz`): `/healthz` answers 200 "flanneld is running" as long as the
// process serves; `/readyz` answers 200 "flanneld is ready" once subnet.env is written, else 503
// "flanneld is not ready yet". Bound to --healthz-ip:--healthz-port, closed gracefully (3 s) on shutdown.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlannelError } from '@flannel-ts/core';

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** `--healthz-ip` (`0.0.0.0` by default). */
  readonly host: string;
  /** `--healthz-port`; 0 picks a free port (tests), the daemon only starts the server when it is > 0. */
  readonly port: number;
  /** Read on every `/readyz` request. */
  readonly isReady: () => boolean;
}

/** A running health server. */
export interface HealthServer {
  /** Where it listens (`port` resolved when 0 was asked). */
  readonly address: { readonly host: string; readonly port: number };
  /** Stops accepting and waits up to `graceMs` (default 3 000) for open requests. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts the health server. Rejects `FlannelError` `FLAG_INVALID` naming `--healthz-ip`/`--healthz-port`
 * when it cannot listen (address in use, not local).
 *
 * @example
 * ```ts
 * const server = await startHealthServer({ host: '0.0.0.0', port: 8285, isReady: () => ready });
 * // curl http://127.0.0.1:8285/readyz → 503 flanneld is not ready yet
 * await server.close();
 * ```
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, body: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    };
    if (path === '/healthz') reply(200, 'flanneld is running');
    else if (path === '/readyz') {
      if (options.isReady()) reply(200, 'flanneld is ready');
      else reply(503, 'flanneld is not ready yet');
    } else reply(404, '404 page not found\n');
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new FlannelError(
          'FLAG_INVALID',
          `--healthz-ip ${options.host} --healthz-port ${options.port} is invalid: cannot listen there (${error.code ?? error.message})`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: { host: bound.address, port: bound.port },
    close: async (graceMs = 3_000) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
