import { describe, expect, it } from 'vitest';
import { NET_UNREACHABLE_MAX_BYTES } from './icmp-net-unreachable.js';
import { internetChecksum } from './ipv4-packet.js';
import { decideTunPacket, decideUdpPacket, DROP } from './packet-decisions.js';
import { UdpRouteTable } from './udp-route-table.js';

/** A UDP packet 10.5.1.2 → `destination` with `ttl`, at offset 4 of a larger buffer. */
function framed(destination: number, ttl: number): Uint8Array {
  const bytes = new Uint8Array(4 + 28);
  const view = new DataView(bytes.buffer, 4);
  view.setUint8(0, 0x45);
  view.setUint16(2, 28);
  view.setUint8(8, ttl);
  view.setUint8(9, 17);
  view.setUint32(12, 0x0a050102);
  view.setUint32(16, destination);
  view.setUint16(10, internetChecksum(bytes, 4, 20));
  return bytes;
}

describe('decideTunPacket', () => {
  const table = new UdpRouteTable();
  table.set({ network: 0x0a050200, prefixLength: 24, nextHop: 0xc0a84d0c, port: 8285 });
  const reply = new Uint8Array(NET_UNREACHABLE_MAX_BYTES);

  it('returns the route for a leased destination, TTL decremented', () => {
    const packet = framed(0x0a050207, 64);
    expect(decideTunPacket(packet, 4, 28, table, 0x0a050100, reply)).toMatchObject({ nextHop: 0xc0a84d0c });
    expect(packet[4 + 8]).toBe(63);
    expect(internetChecksum(packet, 4, 20)).toBe(0);
  });

  it('answers a destination without a lease with a net-unreachable to write into the TUN', () => {
    const length = decideTunPacket(framed(0x0a050907, 64), 4, 28, table, 0x0a050100, reply);
    expect(length).toBe(20 + 8 + 20 + 8);
    expect([reply[20], reply[21]]).toEqual([3, 0]);
  });

  it('drops an expiring TTL and a runt', () => {
    expect(decideTunPacket(framed(0x0a050207, 1), 4, 28, table, 0x0a050100, reply)).toBe(DROP);
    expect(decideTunPacket(framed(0x0a050207, 64), 4, 19, table, 0x0a050100, reply)).toBe(DROP);
  });
});

describe('decideUdpPacket', () => {
  it('accepts a datagram from anyone, TTL decremented', () => {
    const packet = framed(0x0a050107, 63);
    expect(decideUdpPacket(packet, 4, 28, false)).toBe(true);
    expect(packet[4 + 8]).toBe(62);
  });

  it('drops a truncated datagram, a runt and an expiring TTL', () => {
    expect(decideUdpPacket(framed(0x0a050107, 63), 4, 28, true)).toBe(false);
    expect(decideUdpPacket(framed(0x0a050107, 63), 4, 12, false)).toBe(false);
    expect(decideUdpPacket(framed(0x0a050107, 1), 4, 28, false)).toBe(false);
  });
});
