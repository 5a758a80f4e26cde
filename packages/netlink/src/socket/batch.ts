import { MessageWriter } from '../codec/message-writer.js';
import * as N from '../codec/constants-netlink.js';
import type { BatchResult } from '../netlink.js';
import { errorFromReply, type AckRequest } from './requests.js';
import type { NetlinkSocket, ReplyHandler } from './netlink-socket.js';
import type { Message } from '../codec/message.js';

/** Options of {@link sendBatch}. */
export interface BatchOptions {
  /**
   * Requests in flight at once (one `sendto` each window). Bounds the ACKs queued in the receive buffer, so the
   * kernel never drops one with `ENOBUFS`. Default: 2048 (≈ 2 MiB of ACK buffers), or fewer when the socket got a
   * smaller receive buffer (one request per KiB of it, at least 16), e.g. without `CAP_NET_ADMIN`.
   */
  readonly window?: number;
}

const OK: BatchResult = Object.freeze({ ok: true });

/**
 * The receiver of one window's replies: its requests went out with the consecutive sequence numbers `first + i`
 * for the requests at `start + i`, so a reply's sequence number finds its request by subtraction — one object per
 * window, no handler or map entry per request. A request that could not be encoded already has its result and
 * gets no reply.
 */
class WindowHandler implements ReplyHandler {
  private outstanding: number;

  constructor(
    private readonly results: BatchResult[],
    private readonly requests: readonly AckRequest[],
    private readonly first: number,
    private readonly start: number,
    private readonly end: number,
    sent: number,
    private readonly resolve: () => void,
  ) {
    this.outstanding = sent;
  }

  onAck(seq: number): boolean {
    return this.settle(seq, OK);
  }

  onMessage(message: Message): boolean {
    if (message.header.type !== N.NLMSG_ERROR) return false;
    const seq = message.header.seq;
    const request = this.requests[this.indexOf(seq)];
    if (request === undefined) return false;
    let result: BatchResult;
    try {
      const error = errorFromReply(message, request.operation, request.request);
      result = error ? { ok: false, error } : OK;
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
    return this.settle(seq, result);
  }

  /** Fails every request of the window still waiting (the socket failed or closed). */
  onError(error: Error): void {
    for (let index = this.start; index < this.end; index++) if (this.results[index] === undefined) this.results[index] = { ok: false, error };
    this.outstanding = 0;
    this.resolve();
  }

  private indexOf(seq: number): number {
    return this.start + ((seq - this.first) >>> 0);
  }

  /** Records one request's result (a repeated reply is ignored); true once the whole window is answered. */
  private settle(seq: number, result: BatchResult): boolean {
    const index = this.indexOf(seq);
    if (index < this.end && this.results[index] === undefined) {
      this.results[index] = result;
      if (--this.outstanding === 0) this.resolve();
    }
    return this.outstanding === 0;
  }
}

/**
 * Sends many requests, a window at a time, each window in one `sendto` with every request carrying `NLM_F_ACK`
 * and its own sequence number, then matches each ACK to its request. One refused request fails alone: its result
 * holds the kernel's error (with the operation, sequence and the typed request); the others still apply.
 * Results are in request order. A request that cannot even be encoded fails alone too.
 */
export async function sendBatch(socket: NetlinkSocket, requests: readonly AckRequest[], options: BatchOptions = {}): Promise<BatchResult[]> {
  const fits = socket.receiveBufferBytes > 0 ? Math.max(16, Math.floor(socket.receiveBufferBytes / 1024)) : 2048;
  const window = Math.max(1, options.window ?? Math.min(2048, fits));
  const results: BatchResult[] = new Array<BatchResult>(requests.length);
  // One encode buffer per batch, reset for each window (it grows to the largest window once).
  const writer = new MessageWriter(64 * 1024);
  for (let start = 0; start < requests.length; start += window) {
    const end = Math.min(start + window, requests.length);
    writer.reset();
    // Request `index` goes out with sequence number `first + (index - start)`.
    const first = socket.nextSequences(end - start);
    let sent = 0;
    for (let index = start; index < end; index++) {
      const request = requests[index]!;
      const mark = writer.length;
      try {
        const at = writer.begin(request.type, request.flags | N.NLM_F_REQUEST | N.NLM_F_ACK, first + (index - start));
        request.body(writer);
        writer.end(at);
        sent += 1;
      } catch (error) {
        writer.rewind(mark); // drop the half-written message
        results[index] = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
    if (sent === 0) continue;
    await new Promise<void>((resolve) => {
      const handler = new WindowHandler(results, requests, first, start, end, sent, resolve);
      socket.expectBlock(first, end - start, handler);
      try {
        socket.send(writer.bytes(), 'batch');
      } catch (error) {
        socket.forgetBlock(handler);
        handler.onError(error as Error);
      }
    });
  }
  return results;
}
