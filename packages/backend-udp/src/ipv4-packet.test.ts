import { describe, expect, it } from 'vitest';
import { decrementTtl, internetChecksum, ipv4Destination } from './ipv4-packet.js';

/** A 20-byte IPv4 header with a correct checksum. */
function header(fields: { ttl: number; protocol: number; source: number; destination: number; id: number; tos: number; length: number; flags: number }): Uint8Array {
  const bytes = new Uint8Array(20);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x45);
  view.setUint8(1, fields.tos);
  view.setUint16(2, fields.length);
  view.setUint16(4, fields.id);
  view.setUint16(6, fields.flags);
  view.setUint8(8, fields.ttl);
  view.setUint8(9, fields.protocol);
  view.setUint32(12, fields.source);
  view.setUint32(16, fields.destination);
  view.setUint16(10, internetChecksum(bytes, 0, 20));
  return bytes;
}

/** A deterministic 32-bit generator (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe('internetChecksum', () => {
  it('matches the RFC 1071 worked header (0xb861)', () => {
    // The classic example header: 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7.
    const bytes = Uint8Array.from(Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex'));
    expect(internetChecksum(bytes, 0, 20)).toBe(0xb861);
    bytes[10] = 0xb8;
    bytes[11] = 0x61;
    expect(internetChecksum(bytes, 0, 20)).toBe(0);
  });

  it('pads an odd last byte with zero', () => {
    expect(internetChecksum(Uint8Array.of(0x01, 0x02, 0x03), 0, 3)).toBe(~(0x0102 + 0x0300) & 0xffff);
  });
});

describe('decrementTtl', () => {
  it('equals a full recompute over 20 000 random headers (RFC 1624 equation 3)', () => {
    const next = random(1624);
    for (let round = 0; round < 20_000; round += 1) {
      const bytes = header({
        ttl: 2 + (next() % 254),
        protocol: next() & 0xff,
        source: next(),
        destination: next(),
        id: next() & 0xffff,
        tos: next() & 0xff,
        length: next() & 0xffff,
        flags: next() & 0xffff,
      });
      const ttl = bytes[8]!;
      expect(decrementTtl(bytes)).toBe(true);
      expect(bytes[8]).toBe(ttl - 1);
      const patched = (bytes[10]! << 8) | bytes[11]!;
      bytes[10] = 0;
      bytes[11] = 0;
      expect(patched).toBe(internetChecksum(bytes, 0, 20));
    }
  });

  it('equals a full recompute where the checksum word wraps (0xfeff, 0xffff, 0x0000 neighbourhoods)', () => {
    // Search headers whose checksum sits at the carry edges flannel's C special-cases.
    const next = random(7);
    const edges = new Set([0xfeff, 0xff00, 0xfffe, 0x0000, 0x00ff]);
    let found = 0;
    for (let round = 0; round < 2_000_000 && found < 20; round += 1) {
      const bytes = header({ ttl: 2 + (next() % 254), protocol: next() & 0xff, source: next(), destination: next(), id: next() & 0xffff, tos: 0, length: 84, flags: 0x4000 });
      const checksum = (bytes[10]! << 8) | bytes[11]!;
      if (!edges.has(checksum) && (checksum & 0xff00) !== 0xff00) continue;
      found += 1;
      decrementTtl(bytes);
      const patched = (bytes[10]! << 8) | bytes[11]!;
      bytes[10] = 0;
      bytes[11] = 0;
      expect(patched).toBe(internetChecksum(bytes, 0, 20));
    }
    expect(found).toBe(20);
  });

  it('refuses a TTL of 1 or 0 and leaves the packet unchanged (the caller drops it)', () => {
    for (const ttl of [0, 1]) {
      const bytes = header({ ttl, protocol: 17, source: 1, destination: 2, id: 3, tos: 0, length: 20, flags: 0 });
      const before = Uint8Array.from(bytes);
      expect(decrementTtl(bytes)).toBe(false);
      expect(bytes).toEqual(before);
    }
  });

  it('works on a packet at an offset', () => {
    const bytes = header({ ttl: 64, protocol: 6, source: 0x0a050100, destination: 0x0a050200, id: 1, tos: 0, length: 40, flags: 0 });
    const framed = new Uint8Array(30);
    framed.set(bytes, 10);
    expect(decrementTtl(framed, 10)).toBe(true);
    expect(framed[18]).toBe(63);
    expect(internetChecksum(framed, 10, 20)).toBe(0);
    expect(ipv4Destination(framed, 10)).toBe(0x0a050200);
  });
});
