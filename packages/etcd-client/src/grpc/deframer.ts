import { EtcdError } from '../etcd-error.js';
import { FRAME_HEADER_BYTES, MAX_MESSAGE_BYTES } from './frame.js';

/** Options of {@link Deframer}. */
export interface DeframerOptions {
  /** Largest accepted message (default {@link MAX_MESSAGE_BYTES}). */
  readonly maxMessageBytes?: number;
}

/**
 * Splits the DATA bytes of a gRPC response into messages. A frame may arrive split over several chunks
 * and one chunk may hold several frames; {@link Deframer.push} returns the messages completed by each
 * chunk. Compressed or oversized frames throw an `EtcdError` of code `PROTOCOL` (this client never asks
 * for compression).
 *
 * @example
 * ```ts
 * const deframer = new Deframer();
 * stream.on('data', (chunk: Buffer) => { for (const message of deframer.push(chunk)) handle(message); });
 * ```
 */
export class Deframer {
  readonly #maxMessageBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(options: DeframerOptions = {}) {
    this.#maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  }

  /** Bytes received that do not yet form a whole message. */
  get pendingBytes(): number {
    return this.#buffered;
  }

  /** Adds a chunk; returns the messages it completes, in order. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const messages: Buffer[] = [];
    for (;;) {
      if (this.#buffered < FRAME_HEADER_BYTES) break;
      const head = this.#peek(FRAME_HEADER_BYTES);
      const flag = head[0];
      if (flag !== 0) {
        throw new EtcdError('PROTOCOL', `gRPC frame with compressed-flag ${String(flag)} is invalid: this client accepts uncompressed messages only (flag 0)`);
      }
      const length = head.readUInt32BE(1);
      if (length > this.#maxMessageBytes) {
        throw new EtcdError('PROTOCOL', `gRPC message of ${length} bytes is too large: must be at most ${this.#maxMessageBytes}`);
      }
      if (this.#buffered < FRAME_HEADER_BYTES + length) break;
      const frame = this.#take(FRAME_HEADER_BYTES + length);
      messages.push(frame.subarray(FRAME_HEADER_BYTES));
    }
    return messages;
  }

  /** The first `count` buffered bytes, without consuming them. */
  #peek(count: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    if (first.length >= count) return first;
    const joined = Buffer.concat(this.#chunks);
    this.#chunks = [joined];
    return joined;
  }

  /** Removes and returns the first `count` buffered bytes (a view when they lie in one chunk). */
  #take(count: number): Buffer {
    let first = this.#chunks[0] as Buffer;
    if (first.length < count) {
      first = Buffer.concat(this.#chunks);
      this.#chunks = [first];
    }
    const taken = first.subarray(0, count);
    if (first.length === count) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(count);
    this.#buffered -= count;
    return taken;
  }
}
