import { describe, expect, it } from 'vitest';
import { internetChecksum } from './ipv4-packet.js';
import { completeChecksum, onesSum, segmentTcp, tcpHeadersLength } from './tcp-segmentation.js';

/** TCP checksum check: the one's complement sum of pseudo-header + segment is 0xffff. */
function tcpValid(packet: Uint8Array): boolean {
  const ipBytes = (packet[0]! & 0x0f) * 4;
  const tcpLength = packet.length - ipBytes;
  const pseudo = new Uint8Array(12 + tcpLength);
  pseudo.set(packet.subarray(12, 20), 0);
  pseudo[9] = 6;
  pseudo[10] = tcpLength >>> 8;
  pseudo[11] = tcpLength & 0xff;
  pseudo.set(packet.subarray(ipBytes), 12);
  return internetChecksum(pseudo, 0, pseudo.length) === 0;
}

/** An IPv4/TCP packet with `payload` bytes, flags FIN|PSH|CWR|ACK, seq 0xfffffff0 (wraps), id 0xfffe. */
function superPacket(payload: number): Uint8Array {
  const bytes = new Uint8Array(40 + payload);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x45);
  view.setUint16(2, bytes.length);
  view.setUint16(4, 0xfffe);
  view.setUint16(6, 0x4000);
  view.setUint8(8, 63);
  view.setUint8(9, 6);
  view.setUint32(12, 0x0a050102);
  view.setUint32(16, 0x0a050207);
  view.setUint16(20, 40000);
  view.setUint16(22, 5201);
  view.setUint32(24, 0xfffffff0);
  view.setUint32(28, 77);
  view.setUint8(32, 5 << 4);
  view.setUint8(33, 0x80 | 0x10 | 0x08 | 0x01);
  view.setUint16(34, 65535);
  for (let index = 0; index < payload; index += 1) bytes[40 + index] = (index * 7) & 0xff;
  return bytes;
}

describe('segmentTcp', () => {
  it('cuts a super-packet as TSO would: lengths, ids, sequence, flags and both checksums', () => {
    const packet = superPacket(1000 + 1000 + 500);
    expect(tcpHeadersLength(packet, 0)).toBe(40);
    const target = new Uint8Array(2000);
    const segments = [0, 1, 2].map((index) => Uint8Array.from(target.subarray(0, segmentTcp(packet, 0, packet.length, 1000, target, 0, index))));
    expect(segments.map((segment) => segment.length)).toEqual([1040, 1040, 540]);
    const view = (segment: Uint8Array) => new DataView(segment.buffer);
    expect(segments.map((segment) => view(segment).getUint16(2))).toEqual([1040, 1040, 540]);
    expect(segments.map((segment) => view(segment).getUint16(4))).toEqual([0xfffe, 0xffff, 0x0000]);
    expect(segments.map((segment) => view(segment).getUint32(24))).toEqual([0xfffffff0, (0xfffffff0 + 1000) >>> 0, (0xfffffff0 + 2000) >>> 0]);
    expect(segments.map((segment) => segment[33])).toEqual([0x90, 0x10, 0x19]);
    for (const segment of segments) {
      expect(internetChecksum(segment, 0, 20)).toBe(0);
      expect(tcpValid(segment)).toBe(true);
    }
    expect(Buffer.concat(segments.map((segment) => segment.subarray(40)))).toEqual(Buffer.from(packet.subarray(40)));
  });
});

describe('completeChecksum', () => {
  it('finishes a checksum the kernel started with the pseudo-header sum', () => {
    const packet = superPacket(100);
    // The kernel's partial: the folded pseudo-header sum, not complemented.
    let pseudo = 6 + 120;
    for (let at = 12; at < 20; at += 2) pseudo += (packet[at]! << 8) | packet[at + 1]!;
    while (pseudo > 0xffff) pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
    packet[36] = pseudo >>> 8;
    packet[37] = pseudo & 0xff;
    completeChecksum(packet, 0, packet.length, 20, 16);
    expect(tcpValid(packet)).toBe(true);
  });
});

describe('onesSum', () => {
  it('equals a 16-bit word sum at every alignment and length, up to 64 KiB', () => {
    const bytes = new Uint8Array(65_600);
    for (let index = 0; index < bytes.length; index += 1) bytes[index] = (index * 131 + (index >>> 7) * 17) & 0xff;
    bytes.fill(0xff, 1000, 66_000); // long runs of 0xffff words: the sum's largest carries
    const view = new DataView(bytes.buffer);
    const reference = (offset: number, length: number, initial: number): number => {
      let sum = initial;
      for (let at = offset; at < offset + length; at += 2) sum += (bytes[at]! << 8) | (at + 1 < offset + length ? bytes[at + 1]! : 0);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      return sum;
    };
    for (const offset of [0, 1, 2, 3, 52, 1001]) {
      for (const length of [0, 1, 2, 3, 7, 15, 16, 17, 1420, 1421, 65_535 - offset]) {
        expect(onesSum(view, offset, length, 0x1_2345), `offset ${offset} length ${length}`).toBe(reference(offset, length, 0x1_2345));
      }
    }
  });
});
