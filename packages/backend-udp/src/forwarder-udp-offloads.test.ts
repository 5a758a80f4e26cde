// The forwarder's UDP GSO and GRO paths against the real kernel, without root. Its "TUN" is one end of an
// AF_UNIX SOCK_SEQPACKET pair (each write keeps its boundary, as a TUN's packets do) and its socket is on
// 127.0.0.1. Receiving: a sender hands the kernel one UDP GSO message (gso-send-area.ts), loopback
// delivers it to the forwarder's socket still joined (UDP_GRO is on), and the forwarder must write one
// inner packet per datagram into the TUN behind a zeroed virtio_net_hdr. Sending: a TCP super-packet
// written into the TUN must reach a plain socket as one datagram per segment. Traffic stays on loopback.
import koffi from 'koffi';
import { afterEach, describe, expect, it } from 'vitest';
import { createGsoSendArea, setGsoMessage } from './gso-send-area.js';
import { ipv4ToNumber, openKernelUdpSocket } from './kernel-udp-socket.js';
import { allocNative, freeNative, MSG_DONTWAIT, udpLibc, writeSockaddrIn } from './libc.js';
import type { NativeMemory } from './libc.js';
import { internetChecksum } from './ipv4-packet.js';
import { VNET_HDR_BYTES } from './tcp-segmentation.js';
import type { Forwarder, UdpSocketHandle } from './udp-boundaries.js';
import { startWorkerForwarder } from './worker-forwarder.js';

const AF_UNIX = 1;
const SOCK_SEQPACKET = 5;
const SOCK_NONBLOCK = 0x800;
const MTU = 1472;

/** An inner IPv4/UDP packet of `length` bytes, TTL 64, its payload bytes all `fill`. */
function innerPacket(length: number, fill: number): Uint8Array {
  const packet = new Uint8Array(length).fill(fill);
  packet.set([0x45, 0, length >>> 8, length & 0xff, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 7, 1, 2, 10, 7, 2, 3]);
  return packet;
}

/** A non-blocking AF_UNIX SOCK_SEQPACKET pair: [the forwarder's "TUN" fd, the test's end]. */
function tunPair(): [number, number] {
  const pair = allocNative(8);
  try {
    const socketpair = koffi.load('libc.so.6').func('int socketpair(int, int, int, uintptr_t)') as (domain: number, type: number, protocol: number, fds: number) => number;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, pair.address) !== 0) throw new Error(`socketpair failed: errno ${udpLibc().errno()}`);
    return [pair.view.getInt32(0, true), pair.view.getInt32(4, true)];
  } finally {
    freeNative(pair);
  }
}

/** Opens a socket on 127.0.0.1 at a free high port. */
async function openOnLoopback(offload: boolean): Promise<{ socket: UdpSocketHandle; port: number }> {
  for (let attempt = 0; ; attempt += 1) {
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    try {
      return { socket: await openKernelUdpSocket({ address: '127.0.0.1', port, bufferBytes: 1 << 20, offload }), port };
    } catch (error) {
      if (attempt > 20) throw error;
    }
  }
}

/** The forwarder of these tests: the pair's "TUN" fd and `socketFd`, batches of 8, TUN offloads on. */
function startTestForwarder(tunFd: number, socketFd: number, threads: 'one-thread' | 'two-threads', socketOffloads: { udpGso?: boolean; udpGro?: boolean }): Promise<Forwarder> {
  return Promise.resolve(startWorkerForwarder({ tunFd, socketFd, tunAddress: 0x0a070100, mtu: MTU, batchSize: 8, threads, offload: true, ...socketOffloads }));
}

describe('the forwarder with UDP offloads', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A receiving forwarder with UDP GRO on a loopback socket, a plain sender, and the test's end of the "TUN". */
  const receiving = async (threads: 'one-thread' | 'two-threads', context: { skip: (note: string) => never }) => {
    const libc = udpLibc();
    const receiver = await openOnLoopback(true);
    cleanups.push(() => receiver.socket.close());
    if (!receiver.socket.gro || !receiver.socket.gso) context.skip('this kernel has no UDP GSO/GRO (Linux < 5.0)');
    const sender = await openOnLoopback(false);
    cleanups.push(() => sender.socket.close());
    const [tunFd, readFd] = tunPair();
    cleanups.push(() => void libc.close(tunFd), () => void libc.close(readFd));
    const forwarder = await startTestForwarder(tunFd, receiver.socket.fd, threads, { udpGro: true });
    cleanups.push(() => forwarder.stop());
    return { receiver, sender, readFd, forwarder };
  };

  for (const threads of ['one-thread', 'two-threads'] as const) {
    it(`writes each datagram of a joined message into the TUN on its own, and drops one longer than the MTU as a truncated one (${threads})`, async (context) => {
      const libc = udpLibc();
      const { receiver, sender, readFd, forwarder } = await receiving(threads, context);

      // One GSO message of three 1,000-byte inner packets and a 600-byte last one…
      const area = createGsoSendArea(1);
      cleanups.push(() => freeNative(area.memory));
      writeSockaddrIn(area.memory.view, area.nameAt, ipv4ToNumber('127.0.0.1'), receiver.port);
      const sizes = [1000, 1000, 1000, 600];
      let at = 0;
      sizes.forEach((size, index) => {
        area.memory.bytes.set(innerPacket(size, index + 1), at);
        at += size;
      });
      setGsoMessage(area, 0, at, 1000);
      expect(libc.sendmmsg(sender.socket.fd, area.memory.address + area.headerAt, 1, 0)).toBe(1);
      // …then one datagram longer than the MTU: the batched path without GRO would find it truncated.
      const big = allocNative(2000);
      cleanups.push(() => freeNative(big));
      big.bytes.set(innerPacket(2000, 9));
      const name = allocNative(16);
      cleanups.push(() => freeNative(name));
      writeSockaddrIn(name.view, 0, ipv4ToNumber('127.0.0.1'), receiver.port);
      expect(libc.sendto(sender.socket.fd, big.address, 2000, 0, name.address, 16)).toBe(2000);

      let stats = await forwarder.stats();
      for (let round = 0; stats.tunWrites + stats.dropped < 5 && round < 500; round += 1) stats = await forwarder.stats();
      expect(stats).toMatchObject({ receivedDatagrams: 5, groMessages: 1, tunWrites: 4, dropped: 1 });

      const buffer: NativeMemory = allocNative(70_000);
      cleanups.push(() => freeNative(buffer));
      const written: { length: number; header: string; ttl: number; fill: number }[] = [];
      for (let n = libc.recv(readFd, buffer.address, 70_000, MSG_DONTWAIT); n >= 0; n = libc.recv(readFd, buffer.address, 70_000, MSG_DONTWAIT)) {
        const packet = buffer.bytes.subarray(VNET_HDR_BYTES, n);
        written.push({ length: packet.length, header: Buffer.from(buffer.bytes.subarray(0, VNET_HDR_BYTES)).toString('hex'), ttl: packet[8]!, fill: packet[packet.length - 1]! });
      }
      const zeroHeader = '00'.repeat(VNET_HDR_BYTES);
      expect(written).toEqual(sizes.map((length, index) => ({ length, header: zeroHeader, ttl: 63, fill: index + 1 })));
    });
  }

  for (const threads of ['one-thread', 'two-threads'] as const) {
    it(`sends a TCP super-packet of a small MSS as two GSO messages that arrive as one datagram per segment, each a valid TCP segment (${threads})`, async (context) => {
      const libc = udpLibc();
      const forwarderSocket = await openOnLoopback(true);
      cleanups.push(() => forwarderSocket.socket.close());
      if (!forwarderSocket.socket.gso) context.skip('this kernel has no UDP GSO (Linux < 4.18)');
      const peer = await openOnLoopback(false);
      cleanups.push(() => peer.socket.close());
      const [tunFd, writeFd] = tunPair();
      cleanups.push(() => void libc.close(tunFd), () => void libc.close(writeFd));
      const forwarder = await startTestForwarder(tunFd, forwarderSocket.socket.fd, threads, { udpGso: true });
      cleanups.push(() => forwarder.stop());
      forwarder.setRoute({ network: 0x0a070200, prefixLength: 24, nextHop: ipv4ToNumber('127.0.0.1'), port: peer.port });
      await forwarder.sync();

      // 70 segments of 536 bytes: 63 in the first GSO message, 7 in the second.
      const mss = 536;
      const segments = 70;
      const payload = mss * segments;
      const superPacket = allocNative(VNET_HDR_BYTES + 40 + payload);
      cleanups.push(() => freeNative(superPacket));
      const { bytes } = superPacket;
      bytes.set([1, 1, 40, 0, mss & 0xff, mss >>> 8, 20, 0, 16, 0]); // NEEDS_CSUM, GSO_TCPV4, hdr_len, gso_size, csum_start, csum_offset
      const total = 40 + payload;
      bytes.set([0x45, 0, total >>> 8, total & 0xff, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 7, 1, 2, 10, 7, 2, 3], VNET_HDR_BYTES);
      bytes.set([0x9c, 0x40, 0x00, 0x50, 0, 0, 0x10, 0, 0, 0, 0, 1, 0x50, 0x18, 0x01, 0x00], VNET_HDR_BYTES + 20); // ports, seq 4096, ack 1, ACK|PSH
      for (let index = 0; index < payload; index += 1) bytes[VNET_HDR_BYTES + 40 + index] = (index * 7) & 0xff;
      expect(libc.write(writeFd, superPacket.address, bytes.length)).toBe(bytes.length);

      let stats = await forwarder.stats();
      for (let round = 0; stats.sentDatagrams + stats.dropped < segments && round < 500; round += 1) stats = await forwarder.stats();
      expect(stats).toMatchObject({ tunPackets: 1, gsoMessages: 2, sentDatagrams: segments, dropped: 0 });

      const buffer = allocNative(70_000);
      cleanups.push(() => freeNative(buffer));
      const received: Uint8Array[] = [];
      for (let n = libc.recv(peer.socket.fd, buffer.address, 70_000, MSG_DONTWAIT); n >= 0; n = libc.recv(peer.socket.fd, buffer.address, 70_000, MSG_DONTWAIT)) {
        received.push(buffer.bytes.slice(0, n));
      }
      expect(received.map((datagram) => datagram.length)).toEqual(new Array<number>(segments).fill(40 + mss));
      received.forEach((segment, index) => {
        const view = new DataView(segment.buffer);
        expect(view.getUint16(2), `segment ${index} total length`).toBe(40 + mss);
        expect(view.getUint16(4), `segment ${index} id`).toBe(0x1234 + index);
        expect(segment[8], `segment ${index} TTL`).toBe(63);
        expect(internetChecksum(segment, 0, 20), `segment ${index} IPv4 checksum`).toBe(0);
        expect(view.getUint32(24), `segment ${index} sequence`).toBe(4096 + index * mss);
        expect(segment[33], `segment ${index} flags`).toBe(index === segments - 1 ? 0x18 : 0x10);
        let sum = 6 + 20 + mss;
        for (let at = 12; at < 20; at += 2) sum += view.getUint16(at);
        for (let at = 20; at < segment.length; at += 2) sum += view.getUint16(at);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
        expect(sum, `segment ${index} TCP checksum`).toBe(0xffff);
        expect(segment[40], `segment ${index} first payload byte`).toBe(((index * mss) * 7) & 0xff);
      });
    });
  }

  it('joins the TCP segments of one GRO message into one super-packet written into the TUN', async (context) => {
    const libc = udpLibc();
    const { receiver, sender, readFd, forwarder } = await receiving('one-thread', context);

    // Five in-order segments of one TCP stream, 1,000 bytes each (960 of payload), in one GSO message.
    const area = createGsoSendArea(1);
    cleanups.push(() => freeNative(area.memory));
    writeSockaddrIn(area.memory.view, area.nameAt, ipv4ToNumber('127.0.0.1'), receiver.port);
    const count = 5;
    const mss = 960;
    for (let index = 0; index < count; index += 1) {
      const at = index * 1000;
      const segment = area.memory.bytes.subarray(at, at + 1000);
      segment.fill(index + 1);
      segment.set([0x45, 0, 0x03, 0xe8, 0, index, 0x40, 0, 64, 6, 0, 0, 10, 7, 1, 2, 10, 7, 2, 3]);
      const seq = 4096 + index * mss;
      segment.set([0x9c, 0x40, 0x00, 0x50, seq >>> 24, (seq >>> 16) & 0xff, (seq >>> 8) & 0xff, seq & 0xff, 0, 0, 0, 1, 0x50, index === count - 1 ? 0x18 : 0x10, 0x01, 0x00, 0, 0, 0, 0], 20);
      const checksum = internetChecksum(segment, 0, 20);
      segment[10] = checksum >>> 8;
      segment[11] = checksum & 0xff;
    }
    setGsoMessage(area, 0, count * 1000, 1000);
    expect(libc.sendmmsg(sender.socket.fd, area.memory.address + area.headerAt, 1, 0)).toBe(1);

    let stats = await forwarder.stats();
    for (let round = 0; stats.tunWrites + stats.dropped < 1 && round < 500; round += 1) stats = await forwarder.stats();
    expect(stats).toMatchObject({ receivedDatagrams: count, groMessages: 1, coalesced: count, tunWrites: 1, dropped: 0 });
    const buffer = allocNative(70_000);
    cleanups.push(() => freeNative(buffer));
    const n = libc.recv(readFd, buffer.address, 70_000, MSG_DONTWAIT);
    expect(n).toBe(VNET_HDR_BYTES + 40 + count * mss);
    expect(Array.from(buffer.bytes.subarray(0, 6))).toEqual([1, 1, 40, 0, mss & 0xff, mss >>> 8]); // NEEDS_CSUM, GSO_TCPV4, hdr_len, gso_size
    const packet = buffer.bytes.subarray(VNET_HDR_BYTES, n);
    expect(packet[8]).toBe(63);
    for (let index = 0; index < count; index += 1) expect(packet[40 + index * mss + 10], `payload of segment ${index}`).toBe(index + 1);
  });
});
