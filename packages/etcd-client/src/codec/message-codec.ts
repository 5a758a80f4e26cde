// Top-level glue between the per-message read/write functions and the `Method` encode/decode shape.
import { ProtoReader } from './proto-reader.js';
import { ProtoWriter } from './proto-writer.js';

/** Encodes a whole request message with its body writer (e.g. `writeRangeRequest`). */
export function encodeMessage<T>(value: T, write: (writer: ProtoWriter, value: T) => void): Buffer {
  const writer = new ProtoWriter();
  write(writer, value);
  return writer.finish();
}

/**
 * Decodes a whole response message (the payload of one gRPC frame) with its reader (e.g. `readRangeResponse`).
 * Throws `EtcdError('PROTOCOL', …)` on malformed bytes.
 */
export function decodeMessage<T>(bytes: Buffer, read: (reader: ProtoReader) => T): T {
  return read(new ProtoReader(bytes));
}
