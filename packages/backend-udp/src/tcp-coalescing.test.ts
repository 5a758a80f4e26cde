import { describe, expect, it } from 'vitest';
import { internetChecksum } from './ipv4-packet.js';
import { completeChecksum, segmentTcp } from './tcp-segmentation.js';
import { continuesTcpRun, joinTcpRun, tcpPayloadLength } from './tcp-coalescing.js';

/** TCP checksum check: the one's complement sum of pseudo-header + segment is 0xffff. */
function tcpValid(packet: Uint8Array): boolean {
  const tcpLength = packet.length - 20;
  const pseudo = new Uint8Array(12 + tcpLength);
  pseudo.set(packet.subarray(12, 20), 0);
  pseudo[9] = 6;
  pseudo[10] = tcpLength >>> 8;
  pseudo[11] = tcpLength & 0xff;
  pseudo.set(packet.subarray(20), 12);
  return internetChecksum(pseudo, 0, pseudo.length) === 0;
}

/** An IPv4/TCP packet with `payload` bytes, flags ACK|PSH, seq 1000. */
function superPacket(payload: number): Uint8Array {
  const bytes = new Uint8Array(40 + payload);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x45);
  view.setUint16(2, bytes.length);
  view.setUint16(6, 0x4000);
  view.setUint8(8, 62);
  view.setUint8(9, 6);
  view.setUint32(12, 0x0a050102);
  view.setUint32(16, 0x0a050207);
  view.setUint16(20, 40000);
  view.setUint16(22, 5201);
  view.setUint32(24, 1000);
  view.setUint32(28, 77);
  view.setUint8(32, 5 << 4);
  view.setUint8(33, 0x18);
  view.setUint16(34, 512);
  for (let index = 0; index < payload; index += 1) bytes[40 + index] = (index * 13) & 0xff;
  return bytes;
}

describe('joinTcpRun', () => {
  it('joins the segments TSO cut back into the super-packet, checksum left partial for the kernel', () => {
    const original = superPacket(2500);
    const slots = new Uint8Array(3 * 1100);
    const offsets = [0, 1100, 2200];
    const payloads = offsets.map((offset, index) => segmentTcp(original, 0, original.length, 1000, slots, offset, index) - 40);
    expect(payloads).toEqual([1000, 1000, 500]);
    for (const [index, offset] of offsets.entries()) expect(tcpPayloadLength(slots, offset, payloads[index]! + 40)).toBe(payloads[index]);
    expect(continuesTcpRun(slots, 0, 0, 1000, 1100, 1000, 1000)).toBe(true);
    expect(continuesTcpRun(slots, 0, 1100, 1000, 2200, 500, 1000)).toBe(true);
    expect(continuesTcpRun(slots, 0, 0, 1000, 2200, 500, 1000)).toBe(false); // a gap in the sequence

    const target = new Uint8Array(10 + 65_536);
    const written = joinTcpRun(slots, offsets, payloads, 3, 1000, target);
    expect(written).toBe(10 + original.length);
    expect([...target.subarray(0, 10)]).toEqual([1, 1, 40, 0, 0xe8, 0x03, 20, 0, 16, 0]);
    const joined = target.slice(10, written);
    expect(internetChecksum(joined, 0, 20)).toBe(0);
    completeChecksum(joined, 0, joined.length, 20, 16); // what the kernel does with NEEDS_CSUM
    expect(tcpValid(joined)).toBe(true);
    // Apart from the two checksums, the joined packet is the original.
    const blank = (packet: Uint8Array) => Buffer.from(packet).fill(0, 10, 12).fill(0, 36, 38);
    expect(blank(joined).equals(blank(original))).toBe(true);
  });

  it('does not join a segment with PSH before the end, another flow or a fragment', () => {
    const slots = new Uint8Array(2 * 1100);
    const original = superPacket(2000);
    segmentTcp(original, 0, original.length, 1000, slots, 0, 0);
    segmentTcp(original, 0, original.length, 1000, slots, 1100, 1);
    slots[33] = 0x18;
    expect(continuesTcpRun(slots, 0, 0, 1000, 1100, 1000, 1000)).toBe(false);
    slots[33] = 0x10;
    slots[1100 + 23] = slots[1100 + 23]! ^ 1; // another destination port
    expect(continuesTcpRun(slots, 0, 0, 1000, 1100, 1000, 1000)).toBe(false);
    slots[6] = 0x20; // MF
    expect(tcpPayloadLength(slots, 0, 1040)).toBe(-1);
  });
});
