import { connect, type ClientHttp2Session, type ClientSessionOptions } from 'node:http2';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { EtcdTlsOptions } from '../etcd-client.js';
import type { EtcdErrorCode } from '../etcd-error.js';

/** Options of {@link SessionPool}. */
export interface SessionPoolOptions {
  /** Parsed `http://` / `https://` member URLs, in preference order. */
  readonly endpoints: readonly URL[];
  readonly tls?: EtcdTlsOptions;
  readonly dialTimeoutMs: number;
  /** PING interval on every connected session; 0 disables. */
  readonly keepaliveIntervalMs: number;
  readonly keepaliveTimeoutMs: number;
  /** HTTP/2 stream receive window (`SETTINGS_INITIAL_WINDOW_SIZE`), default {@link DEFAULT_STREAM_WINDOW_BYTES}. */
  readonly streamWindowBytes?: number;
  /** HTTP/2 connection receive window, default {@link DEFAULT_CONNECTION_WINDOW_BYTES}. */
  readonly connectionWindowBytes?: number;
}

/** Default HTTP/2 stream receive window: 4 MiB (Node's default is 64 KiB). */
export const DEFAULT_STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
/** Default HTTP/2 connection receive window: 16 MiB (room for a few streams at full window). */
export const DEFAULT_CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;
/** GOAWAY listeners per session (one per call in flight) before Node warns of a leak. */
const MAX_SESSION_LISTENERS = 1_000;

/**
 * `session.ping` that never throws: it throws synchronously (`ERR_HTTP2_INVALID_SESSION`) on a session
 * destroyed in the meantime. Returns whether the PING was sent.
 */
export function safePing(session: ClientHttp2Session, callback: (error: Error | null) => void): boolean {
  if (session.destroyed || session.closed) return false;
  try {
    return session.ping(callback);
  } catch {
    return false;
  }
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
 * never keep the process alive; every session, idle or not, is PINGed every `keepaliveIntervalMs` and
 * destroyed when a PING goes unanswered for `keepaliveTimeoutMs` (a hung member is found before a call
 * waits on it). Every callback checks that its session is still alive: Node emits on destroyed sessions.
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
  acquire(session: ClientHttp2Session): void {
    const state = this.#states.get(session);
    if (!state) return;
    state.active += 1;
    if (state.active === 1 && !session.destroyed) session.ref();
  }

  /** Ends what {@link SessionPool.acquire} started. */
  release(session: ClientHttp2Session): void {
    const state = this.#states.get(session);
    if (!state) return;
    state.active = Math.max(0, state.active - 1);
    if (state.active === 0 && !session.destroyed) session.unref();
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
    const streamWindow = this.#options.streamWindowBytes ?? DEFAULT_STREAM_WINDOW_BYTES;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (secure ? 443 : 80));
    const tls = this.#options.tls ?? {};
    // The socket is ours (not the session's proxy, which refuses destroy()): a dial timeout must close it.
    let socket: Socket | undefined;
    const openSocket = (): Socket => {
      socket = secure
        ? tlsConnect({
            host,
            port,
            ALPNProtocols: ['h2'],
            ...(isIP(host) === 0 ? { servername: host } : {}),
            ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
            ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
            ...(tls.key !== undefined ? { key: tls.key } : {}),
          })
        : netConnect({ host, port });
      return socket;
    };
    const options: ClientSessionOptions = { settings: { enablePush: false, initialWindowSize: streamWindow }, createConnection: openSocket };
    return new Promise<ClientHttp2Session>((resolve, reject) => {
      let settled = false;
      let session: ClientHttp2Session;
      /** Whether the session is gone: every callback below checks it first (Node still emits on it). */
      const dead = (): boolean => session.destroyed || session.closed;
      const fail = (error: DialError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#dialling[index] = undefined;
        this.#states.delete(session);
        session.destroy();
        // A socket still connecting (SYN lost) outlives session.destroy() and would later emit `connect`.
        socket?.destroy();
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
      const state: SessionState = { index, active: 0, keepalive: undefined, error: undefined };
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
        if (settled && !session.destroyed) session.destroy();
      };
      session.on('error', onError);
      // A TLS alert sent after the handshake (e.g. a client certificate the server requires but did not get)
      // reaches the socket only, and only once something is written: PING right away to surface it while dialling.
      socket?.on('error', onError);
      session.once('connect', () => {
        if (settled || dead()) return;
        safePing(session, () => undefined);
      });
      // Every call in flight on the session listens for GOAWAY: many are normal; a leak still warns past the bound.
      session.setMaxListeners(MAX_SESSION_LISTENERS);
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
        if (this.#closed || dead()) {
          if (!session.destroyed) session.destroy();
          reject(this.#closed ? new DialError('CLOSED', 'the client is closed') : new DialError('UNAVAILABLE', 'the connection closed while connecting'));
          return;
        }
        // Node's connection window is 64 KiB: a large listing would wait a round trip per 64 KiB. grpc-go
        // grows its windows (BDP estimation, internal/transport/bdp_estimator.go); we open them up front.
        try {
          session.setLocalWindowSize(this.#options.connectionWindowBytes ?? DEFAULT_CONNECTION_WINDOW_BYTES);
        } catch {
          // The session died between `remoteSettings` and now; the next call redials.
        }
        this.#sessions[index] = session;
        this.#startKeepalive(session, state);
        resolve(session);
      });
    });
  }

  /** PINGs `session` every `keepaliveIntervalMs` (idle or not, like grpc-go's keepalive) and destroys it when a PING goes unanswered. */
  #startKeepalive(session: ClientHttp2Session, state: SessionState): void {
    const { keepaliveIntervalMs, keepaliveTimeoutMs } = this.#options;
    if (keepaliveIntervalMs <= 0 || state.keepalive) return;
    let waiting = false;
    state.keepalive = setInterval(() => {
      if (waiting) return;
      if (session.destroyed || session.closed) {
        this.#stopKeepalive(state);
        return;
      }
      waiting = true;
      const deadline = setTimeout(() => {
        const error = new Error(`keepalive PING not answered within ${keepaliveTimeoutMs} ms`);
        state.error = error;
        this.#stopKeepalive(state);
        if (this.#sessions[state.index] === session) this.#sessions[state.index] = undefined;
        if (!session.destroyed) session.destroy(error);
      }, keepaliveTimeoutMs);
      deadline.unref();
      const sent = safePing(session, (error) => {
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
