import { constants, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { WatchStream } from '../etcd-client.js';
import { EtcdError } from '../etcd-error.js';
import type { Method } from '../method.js';
import type { WatchRequest, WatchResponse } from '../messages.js';
import { Deframer } from './deframer.js';
import { FragmentAssembler } from './fragment-assembler.js';
import { encodeFrame } from './frame.js';
import { checkResponseHeaders, headerValue } from './response-check.js';
import { isTlsError } from './session-pool.js';
import { needsTokenRefresh, serverError } from './etcd-server-errors.js';
import { failureMessage, statusError } from './status.js';

/** A started `Watch` HTTP/2 stream, as {@link GrpcWatchStreamOptions.open} returns it. */
export interface OpenedWatch {
  readonly stream: ClientHttp2Stream;
  readonly endpoint: string;
  /** The error that broke the stream's session, if any. */
  sessionError(): Error | undefined;
  /** Called once when the stream is over (returns the session to idle). */
  release(): void;
  /** Called when the stream failed: later calls should start at another endpoint. */
  demote?(): void;
  /** Called when etcd refused the stream's token (invalid, old or missing): the next open authenticates again. */
  invalidateToken?(): void;
}

/** Options of {@link GrpcWatchStream}. */
export interface GrpcWatchStreamOptions {
  readonly method: Method<WatchRequest, WatchResponse>;
  /** Connects (with failover and auth) and starts the request; rejects with an `EtcdError`. */
  readonly open: (signal: AbortSignal) => Promise<OpenedWatch>;
  /** Called once when the watch is over, whatever the reason. */
  readonly onDone?: () => void;
}

type Outcome = { done: true } | { error: EtcdError };

/**
 * A `Watch` bidirectional stream over one long-lived HTTP/2 request (no deadline). Requests sent before
 * the stream is connected are queued and written in order once it is. Responses are queued without bound
 * until iterated (none is ever dropped); fragmented responses are joined first (one response per revision); a failure is thrown by the iteration after the responses that
 * came before it. {@link GrpcWatchStream.close} cancels the request and ends the iteration.
 */
export class GrpcWatchStream implements WatchStream {
  readonly #method: Method<WatchRequest, WatchResponse>;
  readonly #onDone: (() => void) | undefined;
  readonly #abort = new AbortController();
  #opened: OpenedWatch | undefined;
  #pending: Buffer[] = [];
  #responses: WatchResponse[] = [];
  #outcome: Outcome | undefined;
  #wake: (() => void) | undefined;
  #iterating = false;

  constructor(options: GrpcWatchStreamOptions) {
    this.#method = options.method;
    this.#onDone = options.onDone;
    options.open(this.#abort.signal).then(
      (opened) => this.#attach(opened),
      (error: unknown) => this.#end({ error: error as EtcdError }),
    );
  }

  /** Queues a create/cancel/progress request; a no-op once the stream is over. Throws on an unencodable request. */
  send(request: WatchRequest): void {
    if (this.#outcome) return;
    const frame = encodeFrame(this.#method.encode(request));
    if (this.#opened) this.#opened.stream.write(frame);
    else this.#pending.push(frame);
  }

  /** Cancels the stream (RST_STREAM CANCEL); the iteration ends. Idempotent. */
  close(): void {
    this.#responses = [];
    this.#end({ done: true });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    if (this.#iterating) throw new Error('a WatchStream can be iterated only once');
    this.#iterating = true;
    try {
      for (;;) {
        const response = this.#responses.shift();
        if (response) {
          yield response;
          continue;
        }
        const outcome = this.#outcome;
        if (outcome) {
          if ('error' in outcome) throw outcome.error;
          return;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      this.close();
    }
  }

  #attach(opened: OpenedWatch): void {
    const { stream, endpoint } = opened;
    const path = this.#method.path;
    if (this.#outcome) {
      stream.close(constants.NGHTTP2_CANCEL);
      opened.release();
      return;
    }
    this.#opened = opened;
    for (const frame of this.#pending) stream.write(frame);
    this.#pending = [];
    const deframer = new Deframer();
    const fragments = new FragmentAssembler();
    let headers: IncomingHttpHeaders | undefined;
    let trailers: IncomingHttpHeaders | undefined;
    let streamError: Error | undefined;
    stream.on('response', (received: IncomingHttpHeaders) => {
      headers = received;
      const failure = checkResponseHeaders(path, endpoint, received);
      if (failure) this.#end({ error: failure });
    });
    stream.on('data', (chunk: Buffer) => {
      if (this.#outcome) return;
      try {
        for (const message of deframer.push(chunk)) {
          const response = this.#method.decode(message);
          // etcd cancels a watch whose token it no longer accepts; clientv3's watch.go refreshes the token then.
          if (response.canceled && needsTokenRefresh(serverError(response.cancelReason)?.reason)) opened.invalidateToken?.();
          const whole = fragments.push(response);
          if (whole) this.#responses.push(whole);
        }
      } catch (error) {
        const reason = EtcdError.isInstance(error) && error.code === 'PROTOCOL' ? error.message : `malformed response: ${(error as Error).message}`;
        this.#end({ error: new EtcdError('PROTOCOL', failureMessage(path, endpoint, reason), { endpoint, cause: error }) });
      }
      this.#notify();
    });
    stream.on('trailers', (received: IncomingHttpHeaders) => (trailers = received));
    stream.on('error', (error: Error) => (streamError = error));
    stream.on('close', () => {
      opened.release();
      if (this.#outcome) return;
      const status = headerValue(trailers, 'grpc-status') ?? headerValue(headers, 'grpc-status');
      if (status === undefined) {
        const cause = streamError ?? opened.sessionError();
        const tls = cause !== undefined && isTlsError(cause);
        const reason = `${tls ? 'TLS failed' : 'the connection broke'}${cause ? `: ${cause.message}` : stream.rstCode ? ` (RST_STREAM code ${stream.rstCode})` : ''}`;
        opened.demote?.();
        this.#end({ error: new EtcdError(tls ? 'TLS_FAILED' : 'UNAVAILABLE', failureMessage(path, endpoint, reason), { endpoint, cause }) });
      } else if (Number(status) !== 0) {
        const message = headerValue(trailers, 'grpc-message') ?? headerValue(headers, 'grpc-message');
        const error = statusError(path, endpoint, Number(status), message);
        if (error.code === 'UNAVAILABLE') opened.demote?.();
        if (needsTokenRefresh(error.reason)) opened.invalidateToken?.();
        this.#end({ error });
      } else {
        this.#end({ done: true });
      }
    });
  }

  #end(outcome: Outcome): void {
    if (this.#outcome) return;
    this.#outcome = outcome;
    this.#pending = [];
    this.#abort.abort();
    const stream = this.#opened?.stream;
    if (stream && !stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    this.#onDone?.();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
