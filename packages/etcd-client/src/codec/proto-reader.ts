// A minimal protobuf wire-format reader. Reads straight from the received frame: byte fields become
// `subarray` views, varints are accumulated as numbers and only widened to bigint when they do not fit.
// Every read is bounds-checked against `limit` (the end of the message being decoded); faults are thrown as
// `WireFault` and turned into an `EtcdError('PROTOCOL', …)` naming the message and field by `ProtoReader.fail`.
import { EtcdError } from '../etcd-error.js';

/** Protobuf wire types: varint, 64-bit, length-delimited, 32-bit (3 and 4 are the obsolete groups). */
export const VARINT = 0;
/** Wire type 1: fixed 64-bit. */
export const FIXED64 = 1;
/** Wire type 2: length-delimited (bytes, strings, sub-messages, packed repeats). */
export const LEN = 2;
/** Wire type 5: fixed 32-bit. */
export const FIXED32 = 5;

/** The empty byte string every absent `bytes` field decodes to. Shared: never write into it. */
export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

/**
 * A message's field numbers with their proto names and wire types, for error messages and for telling a
 * known field with the wrong wire type (an error) from an unknown field (skipped).
 */
export interface MessageFields {
  /** The proto message name, e.g. `KeyValue`. */
  readonly message: string;
  /** Indexed by field number: `[proto field name, wire type]`. */
  readonly fields: readonly (readonly [string, number] | undefined)[];
}

/** A {@link MessageFields} table with each field's tag byte(s) by proto name, for the decoder's `switch`. */
export type MessageTable<Name extends string> = MessageFields & {
  /** `(field number << 3) | wire type` by proto field name: the value `ProtoReader.tag()` returns. */
  readonly tags: { readonly [K in Name]: number };
};

/** The proto name of a `[name, wireType]` entry (distributes over a union of entries). */
export type FieldName<Entry> = Entry extends readonly [infer Name extends string, number] ? Name : never;

/**
 * Builds a {@link MessageTable} from `{ fieldNumber: [name, wireType] }`: the one description of a message's
 * fields, from which decoders take their tags (`case KEY_VALUE.tags.key:`) and errors their names.
 */
export function messageFields<const Fields extends Record<number, readonly [string, number]>>(
  message: string,
  fields: Fields,
): MessageTable<FieldName<Fields[keyof Fields]>> {
  const table: (readonly [string, number] | undefined)[] = [];
  const tags: Record<string, number> = {};
  for (const [number, entry] of Object.entries(fields)) {
    table[Number(number)] = entry;
    tags[entry[0]] = Number(number) * 8 + entry[1];
  }
  return { message, fields: table, tags: Object.freeze(tags) as MessageTable<FieldName<Fields[keyof Fields]>>['tags'] };
}

/** A wire-level fault; carries only the rule that was broken. Converted by {@link ProtoReader.fail}. */
export class WireFault extends Error {
  override readonly name = 'WireFault';
}

const TWO_POW_32 = 0x1_0000_0000;

/** Reads protobuf fields from a buffer, one message level at a time (see {@link ProtoReader.enter}). */
export class ProtoReader {
  /** The whole frame. */
  readonly buf: Buffer;
  /** Offset of the next byte to read. */
  pos: number;
  /** End (exclusive) of the message currently being read. */
  limit: number;
  /** Number of the field being read, `0` while reading a tag; for error messages. */
  field = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
    this.pos = 0;
    this.limit = buf.length;
  }

  /** Whether the current message has more fields. */
  more(): boolean {
    return this.pos < this.limit;
  }

  /** Reads a field tag (`fieldNumber << 3 | wireType`) and remembers the field number for error messages. */
  tag(): number {
    this.field = 0;
    const tag = this.uint32();
    this.field = tag >>> 3;
    if (this.field === 0) throw new WireFault('field number 0 is invalid');
    return tag;
  }

  /** Reads a varint that must fit in 32 bits unsigned (tags, lengths); larger values are a fault. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      if (pos >= this.limit) throw new WireFault('truncated varint');
      const byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value >= TWO_POW_32) break;
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    throw new WireFault('varint does not fit in 32 bits');
  }

  /** Reads a length prefix and checks the content lies within the current message; returns the length. */
  length(): number {
    const length = this.uint32();
    if (length > this.limit - this.pos) {
      throw new WireFault(`length ${length} runs past the end of the message (${this.limit - this.pos} bytes left)`);
    }
    return length;
  }

  /** Reads a `bytes` field as a view into the frame (no copy). */
  bytes(): Buffer {
    const length = this.length();
    const start = this.pos;
    this.pos = start + length;
    return length === 0 ? EMPTY_BYTES : this.buf.subarray(start, start + length);
  }

  /** Reads a `string` field (UTF-8). */
  string(): string {
    const length = this.length();
    const start = this.pos;
    this.pos = start + length;
    return this.buf.toString('utf8', start, start + length);
  }

  /** Reads an `int64` varint (two's complement: ten bytes when negative). Numbers up to 49 bits skip bigint math. */
  int64(): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= this.limit) throw new WireFault('truncated varint');
      const byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = pos;
        return BigInt(value);
      }
      scale *= 128;
    }
    return BigInt.asIntN(64, this.uint64Wide());
  }

  /** Reads a `uint64` varint. */
  uint64(): bigint {
    const start = this.pos;
    const value = this.int64();
    // Values of up to 7 bytes are never negative; longer ones were read as signed: re-read as unsigned.
    if (value >= 0n) return value;
    this.pos = start;
    return this.uint64Wide();
  }

  /** Reads an enum or `int32` varint: the low 32 bits, signed (as protobuf does). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.int64()));
  }

  /** Reads a `bool` varint: any non-zero value is true (proto3 decoding is lenient here). */
  bool(): boolean {
    const buf = this.buf;
    let pos = this.pos;
    let bits = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.limit) throw new WireFault('truncated varint');
      const byte = buf[pos++]!;
      bits |= byte & 0x7f;
      if (byte < 0x80) {
        this.pos = pos;
        return bits !== 0;
      }
    }
    throw new WireFault('varint longer than 10 bytes');
  }

  /** Enters a length-delimited sub-message; returns the outer limit to hand back to {@link ProtoReader.leave}. */
  enter(): number {
    const length = this.length();
    const outer = this.limit;
    this.limit = this.pos + length;
    return outer;
  }

  /** Leaves a sub-message entered with {@link ProtoReader.enter}. */
  leave(outerLimit: number): void {
    this.pos = this.limit;
    this.limit = outerLimit;
  }

  /**
   * Skips the field whose tag was just read if it is unknown to `fields`; a known field number with another
   * wire type is a fault. Handles wire types 0, 1, 2 and 5; groups (3, 4) and 6, 7 are faults.
   */
  skip(tag: number, fields: MessageFields): void {
    const wireType = tag & 7;
    const known = fields.fields[tag >>> 3];
    if (known !== undefined) throw new WireFault(`wire type ${wireType}, expected ${known[1]}`);
    switch (wireType) {
      case VARINT:
        this.bool();
        return;
      case FIXED64:
        this.fixed(8);
        return;
      case LEN: {
        const length = this.length(); // read first: `this.pos += this.length()` would add to the stale pos
        this.pos += length;
        return;
      }
      case FIXED32:
        this.fixed(4);
        return;
      default:
        throw new WireFault(`unsupported wire type ${wireType}`);
    }
  }

  /**
   * Turns a {@link WireFault} into `EtcdError('PROTOCOL', '<message> field <name>: <rule>')`; any other error
   * (already converted by an inner message) passes through. Use as `catch (e) { throw r.fail(e, FIELDS) }`.
   */
  fail(error: unknown, fields: MessageFields): unknown {
    if (!(error instanceof WireFault)) return error;
    const name = this.field === 0 ? 'tag' : (fields.fields[this.field]?.[0] ?? String(this.field));
    return new EtcdError('PROTOCOL', `${fields.message} field ${name}: ${error.message}`);
  }

  private fixed(size: number): void {
    if (size > this.limit - this.pos) throw new WireFault(`truncated ${size * 8}-bit value`);
    this.pos += size;
  }

  /**
   * Reads a varint of 8 to 10 bytes (the first 7 are known to be present with their continuation bit set) as
   * uint64: the low and high 32 bits are gathered as numbers, then joined with two bigint operations.
   */
  private uint64Wide(): bigint {
    const buf = this.buf;
    const pos = this.pos;
    const available = this.limit - pos;
    let lo = (buf[pos]! & 0x7f) | ((buf[pos + 1]! & 0x7f) << 7) | ((buf[pos + 2]! & 0x7f) << 14) | ((buf[pos + 3]! & 0x7f) << 21);
    const byte4 = buf[pos + 4]! & 0x7f;
    lo = (lo | (byte4 << 28)) >>> 0;
    let hi = (byte4 >>> 4) | ((buf[pos + 5]! & 0x7f) << 3) | ((buf[pos + 6]! & 0x7f) << 10);
    let length = 7;
    for (let shift = 17; ; shift += 7) {
      if (length >= available) throw new WireFault('truncated varint');
      const byte = buf[pos + length++]!;
      if (length === 10) {
        if (byte >= 0x80) throw new WireFault('varint longer than 10 bytes');
        if (byte > 1) throw new WireFault('varint overflows 64 bits');
      }
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    this.pos = pos + length;
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo);
  }
}
