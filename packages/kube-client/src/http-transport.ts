import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { KubeError } from './kube-error.js';
import type { KubeClientConfig } from './kube-client-config.js';

/** One HTTP request of the client. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/api/v1/nodes?limit=500&resourceVersion=0`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Abort after this many ms without the response completing (its headers for a stream). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/;

/** Maps a socket-level error to a {@link KubeError}; the message names the URL, never a credential. */
export function transportError(error: unknown, url: string, signal?: AbortSignal): KubeError {
  if (KubeError.isInstance(error)) return error;
  if (signal?.aborted) return new KubeError('ABORTED', `request to ${url} aborted`, { cause: signal.reason });
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const text = (error as Error).message;
  if (TLS_CODES.test(code)) return new KubeError('TLS_FAILED', `TLS handshake with ${url} failed: ${text}`, { cause: error });
  return new KubeError('UNAVAILABLE', `request to ${url} failed: ${text}`, { cause: error });
}

/**
 * The client's connection to one API server: a keep-alive agent (HTTPS with the config's CA, client
 * certificate and verification settings) and `send`, which resolves with the response once its headers
 * arrive. Body handling is the caller's.
 */
export class HttpTransport {
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #module: typeof http | typeof https;

  constructor(config: KubeClientConfig) {
    let url: URL;
    try {
      url = new URL(config.server);
    } catch {
      throw new KubeError('CONFIG_INVALID', `server "${config.server}" is invalid: must be an http:// or https:// URL`);
    }
    if (url.protocol === 'https:') {
      this.#module = https;
      this.#agent = new https.Agent({
        keepAlive: true,
        ...(config.caData !== undefined && { ca: config.caData }),
        ...(config.certData !== undefined && { cert: config.certData }),
        ...(config.keyData !== undefined && { key: config.keyData }),
        rejectUnauthorized: config.insecureSkipTlsVerify !== true,
        ...(config.tlsServerName !== undefined && { servername: config.tlsServerName }),
      });
    } else if (url.protocol === 'http:') {
      this.#module = http;
      this.#agent = new http.Agent({ keepAlive: true });
    } else {
      throw new KubeError('CONFIG_INVALID', `server "${config.server}" is invalid: scheme must be http or https`);
    }
    this.#url = url;
  }

  /** The server URL with a path appended, for messages. */
  describe(path: string): string {
    return `${this.#url.origin}${this.#url.pathname.replace(/\/$/, '')}${path}`;
  }

  /** Sends a request; resolves with the response (headers received) or rejects with a {@link KubeError}. */
  send(request: TransportRequest): Promise<IncomingMessage> {
    const url = this.describe(request.path);
    return new Promise((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(new KubeError('ABORTED', `request to ${url} aborted`, { cause: request.signal.reason }));
        return;
      }
      const base = this.#url.pathname.replace(/\/$/, '');
      const outgoing = this.#module.request({
        agent: this.#agent,
        protocol: this.#url.protocol,
        hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
        port: this.#url.port,
        method: request.method,
        path: `${base}${request.path}`,
        headers: request.headers,
        ...(request.signal !== undefined && { signal: request.signal }),
      });
      const timer = setTimeout(() => {
        outgoing.destroy(new KubeError('TIMEOUT', `request to ${url} timed out after ${request.timeoutMs} ms`));
      }, request.timeoutMs);
      outgoing.on('response', (response) => {
        clearTimeout(timer);
        resolve(response);
      });
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(transportError(error, url, request.signal));
      });
      outgoing.end(request.body);
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }
}
