// A minimal protobuf wire-format writer into one growing buffer. Field helpers follow proto3: a field holding
// its default (0, false, empty) is not written, except through the `*Always` helpers used for oneof members,
// whose presence is meaningful. Sub-messages are written in place and their length prefix is back-filled.
import { LEN, VARINT } from './proto-reader.js';

const TWO_POW_53 = 2n ** 53n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

/** Writes protobuf fields; {@link ProtoWriter.finish} returns the bytes. */
export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 64) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** The bytes written so far. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Writes a varint `int64`/`uint64` field unless it is absent or `0n`. */
  int64(field: number, value: bigint | undefined): void {
    if (value !== undefined && value !== 0n) this.int64Always(field, value);
  }

  /**
   * Writes a varint `int64`/`uint64` field even when `0n` (oneof members). Negative values take ten bytes.
   * Throws a `RangeError` (a caller bug, not a wire problem) when the value fits neither int64 nor uint64.
   */
  int64Always(field: number, value: bigint): void {
    if (value < MIN_INT64 || value > MAX_UINT64) {
      throw new RangeError(`protobuf field ${field}: ${value} is outside the 64-bit integer range`);
    }
    this.tag(field, VARINT);
    this.varint64(value);
  }

  /** Writes an enum or `int32` field unless it is `0`. */
  enumValue(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint64(BigInt(value));
  }

  /** Writes a `bool` field when `true`. */
  bool(field: number, value: boolean | undefined): void {
    if (value !== true) return;
    this.tag(field, VARINT);
    this.byte(1);
  }

  /** Writes a `bytes` field unless it is absent or empty. */
  bytes(field: number, value: Uint8Array | undefined): void {
    if (value !== undefined && value.length > 0) this.bytesAlways(field, value);
  }

  /** Writes a `bytes` field even when empty (oneof members, repeated elements). */
  bytesAlways(field: number, value: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(value.length);
    this.reserve(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Writes a `string` field (UTF-8) unless it is empty. */
  string(field: number, value: string): void {
    if (value.length > 0) this.bytesAlways(field, Buffer.from(value, 'utf8'));
  }

  /** Writes a sub-message field (always, even when empty): `body` writes its fields into this writer. */
  message<T>(field: number, value: T, body: (writer: ProtoWriter, value: T) => void): void {
    this.tag(field, LEN);
    const start = this.pos;
    body(this, value);
    const length = this.pos - start;
    const prefix = varintSize(length);
    this.reserve(prefix);
    this.buf.copyWithin(start + prefix, start, this.pos);
    this.pos = start;
    this.varint(length);
    this.pos += length;
  }

  /** Writes a tag. */
  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Writes a non-negative integer below 2^53 as a varint. */
  varint(value: number): void {
    this.reserve(8);
    while (value >= 0x80) {
      this.buf[this.pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buf[this.pos++] = value;
  }

  /** Writes a 64-bit varint; negative values as their 64-bit two's complement (ten bytes). */
  varint64(value: bigint): void {
    if (value >= 0n && value < TWO_POW_53) {
      this.varint(Number(value));
      return;
    }
    let rest = BigInt.asUintN(64, value);
    this.reserve(10);
    while (rest >= 0x80n) {
      this.buf[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buf[this.pos++] = value;
  }

  private reserve(size: number): void {
    if (this.pos + size <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + size));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

/** Number of bytes the varint encoding of a non-negative integer below 2^53 takes. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}
