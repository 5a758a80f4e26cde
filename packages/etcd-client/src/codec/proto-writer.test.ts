import { describe, expect, it } from 'vitest';
import { ProtoReader } from './proto-reader.js';
import { ProtoWriter, varintSize } from './proto-writer.js';

/** xorshift32: deterministic "random" values for property-style tests. */
function randomSource(seed: number): () => number {
  return () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
}

/** A writer whose buffer starts at one byte, so every test also exercises growth. */
const tinyWriter = (): ProtoWriter => new ProtoWriter(1);

describe('ProtoWriter', () => {
  it('round-trips int64 values across the whole range through the reader, in 1 to 10 bytes', () => {
    const next = randomSource(7);
    const edges = [0n, 1n, 127n, 128n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n, -1n, -(2n ** 63n)];
    const values = [...edges];
    for (let i = 0; i < 500; i++) {
      const raw = (BigInt(next()) << 32n) | BigInt(next());
      values.push(BigInt.asIntN(64, raw >> BigInt(next() % 64)));
    }
    for (const value of values) {
      const writer = tinyWriter();
      writer.int64Always(1, value);
      const bytes = writer.finish();
      expect(bytes.length).toBeLessThanOrEqual(11);
      if (value < 0n) expect(bytes.length).toBe(11);
      const reader = new ProtoReader(bytes);
      expect(reader.tag()).toBe(0x08);
      expect(reader.int64()).toBe(value);
      expect(reader.more()).toBe(false);
    }
  });

  it('round-trips uint64 values above 2^63', () => {
    for (const value of [2n ** 63n, 2n ** 64n - 1n, 0xf1e2d3c4b5a69788n]) {
      const writer = tinyWriter();
      writer.int64Always(1, value);
      const reader = new ProtoReader(writer.finish());
      reader.tag();
      expect(reader.uint64()).toBe(value);
    }
  });

  it('refuses integers outside the 64-bit range instead of truncating them', () => {
    expect(() => tinyWriter().int64(3, 2n ** 64n)).toThrow('protobuf field 3: 18446744073709551616 is outside the 64-bit integer range');
    expect(() => tinyWriter().int64(3, -(2n ** 63n) - 1n)).toThrow(RangeError);
  });

  it('writes nothing for proto3 defaults and something for oneof members holding them', () => {
    const writer = tinyWriter();
    writer.int64(1, 0n);
    writer.int64(1, undefined);
    writer.bool(2, false);
    writer.bytes(3, Buffer.alloc(0));
    writer.string(4, '');
    writer.enumValue(5, 0);
    expect(writer.finish().length).toBe(0);
    writer.int64Always(1, 0n);
    writer.bytesAlways(3, Buffer.alloc(0));
    expect(writer.finish().toString('hex')).toBe('08001a00');
  });

  it('back-fills sub-message lengths that need one, two and three bytes', () => {
    for (const size of [0, 1, 127, 128, 300, 16383, 16384, 70000]) {
      const body = Buffer.alloc(size, 0x61);
      const writer = tinyWriter();
      writer.message(2, body, (inner, value) => inner.bytesAlways(1, value));
      writer.bool(3, true);
      const reader = new ProtoReader(writer.finish());
      expect(reader.tag()).toBe(0x12);
      const outer = reader.enter();
      expect(reader.tag()).toBe(0x0a);
      expect(reader.bytes().equals(body)).toBe(true);
      expect(reader.more()).toBe(false);
      reader.leave(outer);
      expect(reader.tag()).toBe(0x18);
      expect(reader.bool()).toBe(true);
      expect(reader.more()).toBe(false);
    }
  });

  it('round-trips strings as UTF-8', () => {
    const writer = tinyWriter();
    writer.string(1, 'grüße ✓');
    const reader = new ProtoReader(writer.finish());
    reader.tag();
    expect(reader.string()).toBe('grüße ✓');
  });

  it('varintSize agrees with what varint() writes', () => {
    for (const value of [0, 127, 128, 16383, 16384, 2 ** 32, 2 ** 53 - 1]) {
      const writer = tinyWriter();
      writer.varint(value);
      expect(writer.finish().length).toBe(varintSize(value));
    }
  });
});
