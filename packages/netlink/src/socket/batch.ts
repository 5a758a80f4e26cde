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

interface WindowState {
  readonly results: BatchResult[];
  readonly requests: readonly AckRequest[];
  outstanding: number;
  readonly resolve: () => void;
}

const OK: BatchResult = Object.freeze({ ok: true });

/**
 * The encode buffer of every batch, reused (it grows to the largest window once). Sharing it is safe: a window is
 * encoded and handed to `sendto` without an `await` in between, so no other batch can reset it meanwhile.
 */
let sharedWriter: MessageWriter | undefined;

function settle(window: WindowState, index: number, result: BatchResult): void {
  window.results[index] = result;
  if (--window.outstanding === 0) window.resolve();
}

/** The receiver of one batched request's ACK: one small object per request, methods on the prototype. */
class EntryHandler implements ReplyHandler {
  constructor(
    private readonly window: WindowState,
    private readonly index: number,
  ) {}

  onAck(): boolean {
    settle(this.window, this.index, OK);
    return true;
  }

  onMessage(message: Message): boolean {
    if (message.header.type !== N.NLMSG_ERROR) return false;
    const request = this.window.requests[this.index]!;
    const error = errorFromReply(message, request.operation, request.request);
    settle(this.window, this.index, error ? { ok: false, error } : OK);
    return true;
  }

  onError(error: Error): void {
    settle(this.window, this.index, { ok: false, error });
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
  const w = (sharedWriter ??= new MessageWriter(64 * 1024));
  for (let start = 0; start < requests.length; start += window) {
    const end = Math.min(start + window, requests.length);
    w.reset();
    // Flat (sequence number, request index) pairs: no object per request.
    const sequences: number[] = [];
    for (let index = start; index < end; index++) {
      const request = requests[index]!;
      const seq = socket.nextSequence();
      const mark = w.length;
      try {
        const at = w.begin(request.type, request.flags | N.NLM_F_REQUEST | N.NLM_F_ACK, seq);
        request.body(w);
        w.end(at);
        sequences.push(seq, index);
      } catch (error) {
        w.rewind(mark); // drop the half-written message
        results[index] = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
    if (sequences.length === 0) continue;
    await new Promise<void>((resolve) => {
      const window: WindowState = { results, requests, outstanding: sequences.length / 2, resolve };
      for (let i = 0; i < sequences.length; i += 2) socket.expect(sequences[i]!, new EntryHandler(window, sequences[i + 1]!));
      try {
        socket.send(w.bytes(), 'batch');
      } catch (error) {
        for (let i = 0; i < sequences.length; i += 2) {
          socket.forget(sequences[i]!);
          settle(window, sequences[i + 1]!, { ok: false, error: error as Error });
        }
      }
    });
  }
  return results;
}
