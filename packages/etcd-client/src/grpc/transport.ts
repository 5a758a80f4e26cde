import { setMaxListeners } from 'node:events';
import type { ClientHttp2Session } from 'node:http2';
import { EtcdError } from '../etcd-error.js';
import type { Method } from '../method.js';
import type { AuthenticateRequest, AuthenticateResponse } from '../messages.js';
import { Authenticator } from './authenticator.js';
import { encodeFrame } from './frame.js';
import { requestHeaders } from './request-headers.js';
import { DialError, SessionPool, type SessionPoolOptions } from './session-pool.js';
import { needsTokenRefresh } from './etcd-server-errors.js';
import { failureMessage } from './status.js';
import { AttemptFailure, unaryAttempt } from './unary-call.js';
import type { OpenedWatch } from './watch-stream.js';

/**
 * Listeners on the close signal (one per call or watch in flight) before Node warns of a leak. flanneld has a
 * handful in flight; a subnet manager serving many callers stays far below this.
 */
export const MAX_CONCURRENT_CALLS = 1_000;

/** Options of {@link Transport}. */
export interface TransportOptions extends SessionPoolOptions {
  readonly requestTimeoutMs: number;
  readonly auth?: {
    readonly username: string;
    readonly password: string;
    readonly method: Method<AuthenticateRequest, AuthenticateResponse>;
  };
}

/** Per-call options of {@link Transport.unary}. */
export interface TransportCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/**
 * gRPC calls with failover: one pass over the endpoints per call, starting at the last one that worked.
 * An attempt that certainly did not reach etcd (dial failure, refused stream, GOAWAY) moves on to the next
 * endpoint for every method; one that may have reached it moves on only for `idempotent` methods and only
 * when it failed with `UNAVAILABLE`, and reads (`readOnly`) also after a deadline (a hung member). A failed
 * endpoint is demoted: the next call starts at the one after it. With auth, the token is fetched lazily, sent
 * as `token` metadata and refreshed once when etcd calls it invalid, old or missing (unary calls here,
 * watches through {@link OpenedWatch.invalidateToken}).
 */
export class Transport {
  readonly #pool: SessionPool;
  readonly #options: TransportOptions;
  readonly #authenticator: Authenticator | undefined;
  readonly #closed = new AbortController();

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#pool = new SessionPool(options);
    // Every call in flight listens for close(): many concurrent calls are normal; a leak still warns past the bound.
    setMaxListeners(MAX_CONCURRENT_CALLS, this.#closed.signal);
    const auth = options.auth;
    if (auth) {
      // The password is sent to etcd only; errors quote etcd's reply, never the request.
      this.#authenticator = new Authenticator(async () => {
        try {
          const response = await this.#pass(auth.method, encodeFrame(auth.method.encode({ name: auth.username, password: auth.password })), {}, undefined);
          return response.token;
        } catch (error) {
          // clientv3's getToken (client.go): etcd without auth gets no token; once auth is enabled, etcd
          // answers "user name is empty" and the client authenticates then.
          if (EtcdError.isInstance(error) && error.reason === 'AUTH_NOT_ENABLED') return '';
          throw error;
        }
      });
    }
  }

  /** Whether {@link Transport.close} was called. */
  get closed(): boolean {
    return this.#closed.signal.aborted;
  }

  /** Runs a unary call; rejects with an `EtcdError`. */
  async unary<Request, Response>(method: Method<Request, Response>, request: Request, options: TransportCallOptions = {}): Promise<Response> {
    this.#check(method.path, options.signal);
    let frame: Buffer;
    try {
      frame = encodeFrame(method.encode(request));
    } catch (error) {
      if (EtcdError.isInstance(error)) throw error;
      throw new EtcdError('REQUEST_FAILED', failureMessage(method.path, undefined, `invalid request: ${(error as Error).message}`), { cause: error });
    }
    let refreshed = false;
    for (;;) {
      const token = this.#authenticator ? await this.#guard(method.path, this.#authenticator.token(), options.signal) : undefined;
      try {
        return await this.#pass(method, frame, options, token);
      } catch (error) {
        // clientv3's retry_interceptor.go: a stale or missing token is refreshed once, then the call retried.
        if (!this.#authenticator || refreshed || !EtcdError.isInstance(error) || !needsTokenRefresh(error.reason)) throw error;
        refreshed = true;
        await this.#authenticator.invalidate(token);
      }
    }
  }

  /** Dials (with failover) and starts a long-lived streaming request to `path` with no deadline. */
  async openStream(path: string, signal: AbortSignal, options: { requireLeader?: boolean } = {}): Promise<OpenedWatch> {
    this.#check(path, signal);
    const token = this.#authenticator ? await this.#guard(path, this.#authenticator.token(), signal) : undefined;
    let last: EtcdError | undefined;
    for (const index of this.#pool.order()) {
      const endpoint = this.#pool.endpoint(index);
      let session: ClientHttp2Session;
      try {
        session = await this.#guard(path, this.#pool.session(index), signal, endpoint);
      } catch (error) {
        last = error as EtcdError;
        if (last.code === 'UNAVAILABLE' || last.code === 'TLS_FAILED') continue;
        throw last;
      }
      let stream;
      try {
        stream = session.request(requestHeaders(path, { token, requireLeader: options.requireLeader === true }), { endStream: false });
      } catch (error) {
        last = new EtcdError('UNAVAILABLE', failureMessage(path, endpoint, (error as Error).message), { endpoint, cause: error });
        continue;
      }
      this.#pool.markGood(index);
      this.#pool.acquire(session);
      let released = false;
      return {
        stream,
        endpoint,
        sessionError: () => this.#pool.sessionError(session),
        demote: () => this.#pool.markBad(index),
        invalidateToken: () => {
          void this.#authenticator?.invalidate(token);
        },
        release: () => {
          if (released) return;
          released = true;
          this.#pool.release(session);
        },
      };
    }
    throw last ?? new EtcdError('UNAVAILABLE', failureMessage(path, undefined, 'no endpoint configured'));
  }

  /** Destroys every session; in-flight and later calls reject with `CLOSED`. */
  close(): void {
    if (this.closed) return;
    this.#closed.abort();
    this.#pool.close();
  }

  /** A signal aborted when the transport closes. */
  get closedSignal(): AbortSignal {
    return this.#closed.signal;
  }

  async #pass<Response>(method: Method<unknown, Response>, frame: Buffer, options: TransportCallOptions, token: string | undefined): Promise<Response> {
    let last: EtcdError | undefined;
    for (const index of this.#pool.order()) {
      const endpoint = this.#pool.endpoint(index);
      let session: ClientHttp2Session;
      try {
        session = await this.#guard(method.path, this.#pool.session(index), options.signal, endpoint);
      } catch (error) {
        last = error as EtcdError;
        if (last.code === 'UNAVAILABLE' || last.code === 'TLS_FAILED') {
          this.#pool.markBad(index);
          continue;
        }
        throw last;
      }
      this.#check(method.path, options.signal);
      this.#pool.acquire(session);
      try {
        const response = await unaryAttempt({
          session,
          endpoint,
          method,
          frame,
          timeoutMs: options.timeoutMs ?? this.#options.requestTimeoutMs,
          token,
          signal: options.signal,
          closed: this.#closed.signal,
          sessionError: () => this.#pool.sessionError(session),
        });
        this.#pool.markGood(index);
        return response;
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        last = error.error;
        if (last.code === 'UNAVAILABLE' || last.code === 'DEADLINE_EXCEEDED' || last.code === 'TLS_FAILED') this.#pool.markBad(index);
        // A deadline on a read means a hung or partitioned member: ask another one (writes may have applied).
        const retry = !error.sent || (method.idempotent && last.code === 'UNAVAILABLE') || (method.readOnly === true && last.code === 'DEADLINE_EXCEEDED');
        if (!retry) throw last;
      } finally {
        this.#pool.release(session);
      }
    }
    throw last ?? new EtcdError('UNAVAILABLE', failureMessage(method.path, undefined, 'no endpoint configured'));
  }

  /** Throws `CLOSED` / `ABORTED` when the client is closed or the caller aborted. */
  #check(path: string, signal: AbortSignal | undefined): void {
    if (this.closed) throw new EtcdError('CLOSED', failureMessage(path, undefined, 'the client is closed'));
    if (signal?.aborted) throw new EtcdError('ABORTED', failureMessage(path, undefined, 'aborted by the caller'), { cause: signal.reason });
  }

  /** Awaits `promise` unless the caller aborts or the client closes first; maps a {@link DialError}. */
  #guard<T>(path: string, promise: Promise<T>, signal: AbortSignal | undefined, endpoint?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cleanup = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#closed.signal.removeEventListener('abort', onClosed);
      };
      const onAbort = (): void => {
        cleanup();
        reject(new EtcdError('ABORTED', failureMessage(path, endpoint, 'aborted by the caller'), { endpoint, cause: signal?.reason }));
      };
      const onClosed = (): void => {
        cleanup();
        reject(new EtcdError('CLOSED', failureMessage(path, endpoint, 'the client was closed'), { endpoint }));
      };
      if (this.closed) return onClosed();
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#closed.signal.addEventListener('abort', onClosed, { once: true });
      promise.then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          if (error instanceof DialError) {
            reject(new EtcdError(error.code, failureMessage(path, endpoint, error.reason), { endpoint, cause: error.cause }));
          } else reject(error);
        },
      );
    });
  }
}
