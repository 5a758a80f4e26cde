// The forwarder's UDP GRO receive path against the real kernel, without root: a sender on 127.0.0.1 hands
// the kernel one UDP GSO message (gso-send-area.ts), loopback delivers it to the forwarder's socket still
// joined (UDP_GRO is on), and the forwarder must write one inner packet per datagram into its "TUN" — here
// one end of an AF_UNIX SOCK_SEQPACKET pair, which keeps each write's boundary — behind a zeroed
// virtio_net_hdr. Traffic stays on loopback.
import koffi from 'koffi';
import { afterEach, describe, expect, it } from 'vitest';
import { createGsoSendArea, setGsoMessage } from './gso-send-area.js';
import { ipv4ToNumber, openKernelUdpSocket } from './kernel-udp-socket.js';
import { allocNative, freeNative, MSG_DONTWAIT, udpLibc, writeSockaddrIn } from './libc.js';
import type { NativeMemory } from './libc.js';
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

describe('the forwarder receiving with UDP GRO', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  for (const threads of ['one-thread', 'two-threads'] as const) {
    it(`writes each datagram of a joined message into the TUN on its own, and drops one longer than the MTU as a truncated one (${threads})`, async (context) => {
      const libc = udpLibc();
      const receiver = await openOnLoopback(true);
      cleanups.push(() => receiver.socket.close());
      if (!receiver.socket.gro || !receiver.socket.gso) context.skip('this kernel has no UDP GSO/GRO (Linux < 5.0)');
      const sender = await openOnLoopback(false);
      cleanups.push(() => sender.socket.close());

      const pair = allocNative(8);
      cleanups.push(() => freeNative(pair));
      const socketpair = koffi.load('libc.so.6').func('int socketpair(int, int, int, uintptr_t)') as (domain: number, type: number, protocol: number, fds: number) => number;
      expect(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, pair.address)).toBe(0);
      const [tunFd, readFd] = [pair.view.getInt32(0, true), pair.view.getInt32(4, true)];
      cleanups.push(() => void libc.close(tunFd), () => void libc.close(readFd));

      const forwarder: Forwarder = await startWorkerForwarder({
        tunFd,
        socketFd: receiver.socket.fd,
        tunAddress: 0x0a070100,
        mtu: MTU,
        batchSize: 8,
        threads,
        offload: true,
        udpGro: true,
      });
      cleanups.push(() => forwarder.stop());

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
});
