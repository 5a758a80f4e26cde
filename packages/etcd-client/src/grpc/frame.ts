/** Bytes of a gRPC message prefix: 1 compressed-flag byte + 4-byte big-endian length. */
export const FRAME_HEADER_BYTES = 5;

/** Largest message this client accepts or sends (64 MiB); etcd's own default limit is far lower. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Frames one protobuf message for a gRPC stream: flag `0` (uncompressed), its length (big-endian) and the
 * bytes.
 *
 * @example
 * ```ts
 * stream.write(encodeFrame(kvRange.encode({ key: Buffer.from('/a') })));
 * ```
 */
export function encodeFrame(message: Uint8Array): Buffer {
  if (message.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(`gRPC message of ${message.length} bytes is too large: must be at most ${MAX_MESSAGE_BYTES}`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, FRAME_HEADER_BYTES);
  return frame;
}
