import { constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { EtcdError } from '../etcd-error.js';
import type { Method } from '../method.js';
import { Deframer } from './deframer.js';
import { isTlsError } from './session-pool.js';
import { requestHeaders } from './request-headers.js';
import { checkResponseHeaders, headerValue } from './response-check.js';
import { failureMessage, statusError } from './status.js';

/** A failed attempt, and whether the request may have reached etcd (`sent`). */
export class AttemptFailure extends Error {
  override readonly name = 'AttemptFailure';
  constructor(
    readonly error: EtcdError,
    /** `false` when etcd certainly did not process the request (refused stream, GOAWAY): safe to retry. */
    readonly sent: boolean,
  ) {
    super(error.message);
  }
}

/** One attempt of a unary call on an established session. */
export interface UnaryAttemptOptions<Response> {
  readonly session: ClientHttp2Session;
  readonly endpoint: string;
  readonly method: Method<unknown, Response>;
  /** The framed request message. */
  readonly frame: Buffer;
  readonly timeoutMs: number;
  readonly token?: string;
  /** The caller's signal: rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
  /** The client's close signal: rejects with `CLOSED`. */
  readonly closed: AbortSignal;
  /** The error that broke the session, to explain a stream that ended without a status. */
  readonly sessionError: () => Error | undefined;
}

/**
 * Sends one framed request on `session` and resolves the decoded response. Rejects with an
 * {@link AttemptFailure}; the stream is cancelled (RST_STREAM CANCEL) on abort, close and deadline.
 */
export function unaryAttempt<Response>(options: UnaryAttemptOptions<Response>): Promise<Response> {
  const { session, endpoint, method, timeoutMs, signal, closed } = options;
  const path = method.path;
  return new Promise<Response>((resolve, reject) => {
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(requestHeaders(path, { timeoutMs, token: options.token }), { endStream: false });
    } catch (error) {
      // The session closed or got GOAWAY before this stream existed: nothing was sent.
      reject(new AttemptFailure(new EtcdError('UNAVAILABLE', failureMessage(path, endpoint, (error as Error).message), { endpoint, cause: error }), false));
      return;
    }
    let settled = false;
    let headers: IncomingHttpHeaders | undefined;
    let trailers: IncomingHttpHeaders | undefined;
    let failure: EtcdError | undefined;
    let streamError: Error | undefined;
    const messages: Buffer[] = [];
    const deframer = new Deframer();

    const finish = (outcome: { error: EtcdError; sent: boolean } | { value: Response }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      closed.removeEventListener('abort', onClosed);
      session.off('goaway', onGoaway);
      if ('value' in outcome) resolve(outcome.value);
      else reject(new AttemptFailure(outcome.error, outcome.sent));
    };
    const cancel = (error: EtcdError): void => {
      finish({ error, sent: true });
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    };
    const onAbort = (): void => cancel(new EtcdError('ABORTED', failureMessage(path, endpoint, 'aborted by the caller'), { endpoint, cause: signal?.reason }));
    const onClosed = (): void => cancel(new EtcdError('CLOSED', failureMessage(path, endpoint, 'the client was closed'), { endpoint }));
    const timer = setTimeout(() => {
      cancel(new EtcdError('DEADLINE_EXCEEDED', failureMessage(path, endpoint, `deadline of ${timeoutMs} ms exceeded`), { endpoint }));
    }, timeoutMs);
    // GOAWAY names the last stream the server will process: ours, if higher, was not processed.
    const onGoaway = (_code: number, lastStreamId: number): void => {
      if (stream.id === undefined || stream.id <= lastStreamId) return;
      const reason = 'the server sent GOAWAY before processing the request';
      finish({ error: new EtcdError('UNAVAILABLE', failureMessage(path, endpoint, reason), { endpoint }), sent: false });
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    closed.addEventListener('abort', onClosed, { once: true });
    session.on('goaway', onGoaway);

    stream.on('response', (received: IncomingHttpHeaders) => {
      headers = received;
      failure ??= checkResponseHeaders(path, endpoint, received);
      if (failure) stream.close(constants.NGHTTP2_CANCEL);
    });
    stream.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        messages.push(...deframer.push(chunk));
      } catch (error) {
        failure = new EtcdError('PROTOCOL', failureMessage(path, endpoint, (error as Error).message), { endpoint });
        stream.close(constants.NGHTTP2_CANCEL);
      }
    });
    stream.on('trailers', (received: IncomingHttpHeaders) => (trailers = received));
    stream.on('error', (error: Error) => (streamError = error));
    stream.on('close', () => {
      if (settled) return;
      if (failure) return finish({ error: failure, sent: true });
      const status = headerValue(trailers, 'grpc-status') ?? headerValue(headers, 'grpc-status');
      if (status === undefined) return finish(brokenStream());
      const code = Number(status);
      if (code !== 0) {
        const message = headerValue(trailers, 'grpc-message') ?? headerValue(headers, 'grpc-message');
        return finish({ error: statusError(path, endpoint, code, message), sent: true });
      }
      if (messages.length !== 1 || deframer.pendingBytes !== 0) {
        const reason = `expected one response message, got ${messages.length}${deframer.pendingBytes ? ` and ${deframer.pendingBytes} trailing bytes` : ''}`;
        return finish({ error: new EtcdError('PROTOCOL', failureMessage(path, endpoint, reason), { endpoint }), sent: true });
      }
      try {
        finish({ value: method.decode(messages[0] as Buffer) });
      } catch (error) {
        const reason = `malformed response: ${(error as Error).message}`;
        finish({ error: new EtcdError('PROTOCOL', failureMessage(path, endpoint, reason), { endpoint, cause: error }), sent: true });
      }
    });

    /** The stream ended without a gRPC status: the connection broke or the stream was reset. */
    function brokenStream(): { error: EtcdError; sent: boolean } {
      const rstCode = stream.rstCode;
      const refused = rstCode === constants.NGHTTP2_REFUSED_STREAM;
      const cause = streamError ?? options.sessionError();
      if (cause && isTlsError(cause)) {
        return { error: new EtcdError('TLS_FAILED', failureMessage(path, endpoint, `TLS failed: ${cause.message}`), { endpoint, cause }), sent: !refused };
      }
      const reason = refused
        ? 'the server refused the stream (REFUSED_STREAM) before processing it'
        : `the connection broke before the response completed${cause ? `: ${cause.message}` : rstCode ? ` (RST_STREAM code ${rstCode})` : ''}`;
      return { error: new EtcdError('UNAVAILABLE', failureMessage(path, endpoint, reason), { endpoint, cause }), sent: !refused };
    }

    stream.end(options.frame);
  });
}
