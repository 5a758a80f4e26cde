import { connect, type ClientHttp2Session, type SecureClientSessionOptions } from 'node:http2';
import { isIP } from 'node:net';
import type { EtcdTlsOptions } from '../etcd-client.js';
import type { EtcdErrorCode } from '../etcd-error.js';

/** Options of {@link SessionPool}. */
export interface SessionPoolOptions {
  /** Parsed `http://` / `https://` member URLs, in preference order. */
  readonly endpoints: readonly URL[];
  readonly tls?: EtcdTlsOptions;
  readonly dialTimeoutMs: number;
  /** PING interval while a watch is open on a session; 0 disables. */
  readonly keepaliveIntervalMs: number;
  readonly keepaliveTimeoutMs: number;
}

/** Why a connection to one endpoint could not be made; the caller names the RPC. */
export class DialError extends Error {
  override readonly name = 'DialError';
  constructor(
    readonly code: Extract<EtcdErrorCode, 'UNAVAILABLE' | 'TLS_FAILED' | 'CLOSED'>,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

interface SessionState {
  readonly index: number;
  /** Unary calls and watches in flight: the session keeps the event loop alive only while > 0. */
  active: number;
  watches: number;
  keepalive: NodeJS.Timeout | undefined;
  error: Error | undefined;
}

const TLS_ERROR = /CERT|SSL|TLS|SIGNATURE|ISSUER|ALTNAME|HANDSHAKE/;

/** Whether a socket/session error came from the TLS layer (its message is Node's reason, never key material). */
export function isTlsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && TLS_ERROR.test(code);
}

/**
 * One HTTP/2 session per endpoint, dialled lazily and reused while it is healthy. A session that errors,
 * receives GOAWAY or closes is dropped and redialled by the next call. Idle sessions are `unref`'d so they
 * never keep the process alive; sessions carrying a watch are PINGed every `keepaliveIntervalMs` and
 * destroyed when a PING goes unanswered for `keepaliveTimeoutMs`.
 */
export class SessionPool {
  readonly #options: SessionPoolOptions;
  readonly #sessions: (ClientHttp2Session | undefined)[];
  readonly #dialling: (Promise<ClientHttp2Session> | undefined)[];
  readonly #states = new Map<ClientHttp2Session, SessionState>();
  #preferred = 0;
  #closed = false;

  constructor(options: SessionPoolOptions) {
    this.#options = options;
    this.#sessions = options.endpoints.map(() => undefined);
    this.#dialling = options.endpoints.map(() => undefined);
  }

  /** The endpoint URL text (`http://127.0.0.1:2379`) of `index`, for messages. */
  endpoint(index: number): string {
    return (this.#options.endpoints[index] as URL).origin;
  }

  /** Endpoint indices for one pass: from the last one that worked, round-robin. */
  order(): number[] {
    const count = this.#options.endpoints.length;
    return Array.from({ length: count }, (_, offset) => (this.#preferred + offset) % count);
  }

  /** Remembers `index` as the first endpoint to try next time. */
  markGood(index: number): void {
    this.#preferred = index;
  }

  /** After a failure on `index`: the next pass starts at the endpoint after it (when it was the first). */
  markBad(index: number): void {
    if (this.#preferred === index) this.#preferred = (index + 1) % this.#options.endpoints.length;
  }

  /** The live session of endpoint `index`, dialling it if needed. Rejects with a {@link DialError}. */
  session(index: number): Promise<ClientHttp2Session> {
    if (this.#closed) return Promise.reject(new DialError('CLOSED', 'the client is closed'));
    const existing = this.#sessions[index];
    if (existing && !existing.closed && !existing.destroyed) return Promise.resolve(existing);
    const dialling = this.#dialling[index] ?? this.#dial(index);
    this.#dialling[index] = dialling;
    return dialling;
  }

  /** The error a session failed with, if any (to explain streams it broke). */
  sessionError(session: ClientHttp2Session): Error | undefined {
    return this.#states.get(session)?.error;
  }

  /** Marks a call in flight on `session` (it keeps the process alive until {@link SessionPool.release}). */
  acquire(session: ClientHttp2Session, options: { watch?: boolean } = {}): void {
    const state = this.#states.get(session);
    if (!state) return;
    state.active += 1;
    if (state.active === 1 && !session.destroyed) session.ref();
    if (options.watch) {
      state.watches += 1;
      if (state.watches === 1) this.#startKeepalive(session, state);
    }
  }

  /** Ends what {@link SessionPool.acquire} started. */
  release(session: ClientHttp2Session, options: { watch?: boolean } = {}): void {
    const state = this.#states.get(session);
    if (!state) return;
    state.active = Math.max(0, state.active - 1);
    if (state.active === 0 && !session.destroyed) session.unref();
    if (options.watch) {
      state.watches = Math.max(0, state.watches - 1);
      if (state.watches === 0) this.#stopKeepalive(state);
    }
  }

  /** Destroys every session; later {@link SessionPool.session} calls reject with `CLOSED`. */
  close(): void {
    this.#closed = true;
    for (const [session, state] of this.#states) {
      this.#stopKeepalive(state);
      session.destroy();
    }
    this.#states.clear();
    this.#sessions.fill(undefined);
  }

  #dial(index: number): Promise<ClientHttp2Session> {
    const url = this.#options.endpoints[index] as URL;
    const secure = url.protocol === 'https:';
    const options: SecureClientSessionOptions = { settings: { enablePush: false } };
    if (secure) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      options.ALPNProtocols = ['h2'];
      if (isIP(host) === 0) options.servername = host;
      const { ca, cert, key } = this.#options.tls ?? {};
      if (ca !== undefined) options.ca = ca;
      if (cert !== undefined) options.cert = cert;
      if (key !== undefined) options.key = key;
    }
    return new Promise<ClientHttp2Session>((resolve, reject) => {
      let settled = false;
      let session: ClientHttp2Session;
      const fail = (error: DialError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#dialling[index] = undefined;
        this.#states.delete(session);
        session.destroy();
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new DialError('UNAVAILABLE', `could not connect within ${this.#options.dialTimeoutMs} ms (dial timeout)`));
      }, this.#options.dialTimeoutMs);
      try {
        session = connect(url.origin, options);
      } catch (error) {
        settled = true;
        clearTimeout(timer);
        this.#dialling[index] = undefined;
        reject(new DialError('UNAVAILABLE', `could not connect: ${(error as Error).message}`, { cause: error }));
        return;
      }
      const state: SessionState = { index, active: 0, watches: 0, keepalive: undefined, error: undefined };
      this.#states.set(session, state);
      session.unref();
      const forget = (): void => {
        this.#stopKeepalive(state);
        if (this.#sessions[index] === session) this.#sessions[index] = undefined;
      };
      const onError = (error: Error): void => {
        state.error ??= error;
        forget();
        if (isTlsError(error)) fail(new DialError('TLS_FAILED', `TLS handshake failed: ${error.message}`, { cause: error }));
        else if ((error as { syscall?: string }).syscall === 'connect') fail(new DialError('UNAVAILABLE', error.message, { cause: error }));
        else fail(new DialError('UNAVAILABLE', `${error.message} (is this an etcd client URL speaking HTTP/2?)`, { cause: error }));
        if (settled) session.destroy();
      };
      session.on('error', onError);
      // A TLS alert sent after the handshake (e.g. a client certificate the server requires but did not get)
      // reaches the socket only, and only once something is written: PING right away to surface it while dialling.
      session.socket.on('error', onError);
      session.once('connect', () => session.ping(() => undefined));
      // Every call in flight on the session listens for GOAWAY: any number of them is normal, not a leak.
      session.setMaxListeners(0);
      session.on('goaway', forget);
      session.on('close', () => {
        forget();
        this.#states.delete(session);
        fail(new DialError('UNAVAILABLE', 'the connection closed before HTTP/2 settings were received (is this an etcd client URL speaking HTTP/2?)'));
      });
      session.once('remoteSettings', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#dialling[index] = undefined;
        if (this.#closed) {
          session.destroy();
          reject(new DialError('CLOSED', 'the client is closed'));
          return;
        }
        this.#sessions[index] = session;
        resolve(session);
      });
    });
  }

  #startKeepalive(session: ClientHttp2Session, state: SessionState): void {
    const { keepaliveIntervalMs, keepaliveTimeoutMs } = this.#options;
    if (keepaliveIntervalMs <= 0 || state.keepalive) return;
    let waiting = false;
    state.keepalive = setInterval(() => {
      if (waiting || session.destroyed) return;
      waiting = true;
      const deadline = setTimeout(() => {
        const error = new Error(`keepalive PING not answered within ${keepaliveTimeoutMs} ms`);
        state.error = error;
        session.destroy(error);
      }, keepaliveTimeoutMs);
      deadline.unref();
      const sent = session.ping((error) => {
        waiting = false;
        clearTimeout(deadline);
        if (error) state.error ??= error;
      });
      if (!sent) {
        waiting = false;
        clearTimeout(deadline);
      }
    }, keepaliveIntervalMs);
    state.keepalive.unref();
  }

  #stopKeepalive(state: SessionState): void {
    if (state.keepalive) clearInterval(state.keepalive);
    state.keepalive = undefined;
  }
}
