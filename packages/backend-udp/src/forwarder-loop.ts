// The forwarder thread's loop, flannel's run_proxy design (pkg/backend/udp/proxy_amd64.c): poll the TUN,
// the socket and a control fd; when anything is readable, drain both directions until neither has data,
// then poll again. Plain mode (batch size 1) is flannel's per packet `read` + `sendto` and `recv` + `write`.
// Batch mode reads up to N packets from the TUN and sends them with one `sendmmsg`, and receives up to N
// datagrams with one `recvmmsg`. Commands (routes, stats, stop) arrive on a MessagePort read synchronously,
// at each wake of the control eventfd and every few hundred drain rounds, so route changes never wait for
// traffic to pause. All packet memory is native (koffi.alloc), laid out once (packet-slots.ts). With TUN
// offloads (IFF_VNET_HDR) TCP super-packets are cut into datagrams on the way out (tcp-segmentation.ts) and
// received segments joined again on the way in (tcp-coalescing.ts); where the socket has them, the cut
// segments go out as UDP GSO messages (gso-send-area.ts) and datagrams joined by UDP GRO are split on receipt.
//
// This file is longer than most on purpose: the per-direction paths are closures over one loop's state (fds,
// route table, counters, native buffers) so the hot path has no indirection; what is pure lives beside it
// (packet-decisions.ts, tcp-segmentation.ts, tcp-coalescing.ts) and is tested there.
import { receiveMessageOnPort } from 'node:worker_threads';
import { NET_UNREACHABLE_MAX_BYTES } from './icmp-net-unreachable.js';
import type { ForwarderCommand, ForwarderReply, ForwarderWorkerData } from './forwarder-protocol.js';
import { createGsoSendArea, gsoSegmentsPerMessage, setGsoMessage } from './gso-send-area.js';
import type { GsoSendArea } from './gso-send-area.js';
import { allocNative, EAGAIN, EINTR, EINVAL, EIO, EMSGSIZE, ENOBUFS, freeNative, IOVEC_BYTES, MMSGHDR_BYTES, MSG_DONTWAIT, MSG_TRUNC, POLLIN, SOCKADDR_IN_BYTES, SOL_UDP, UDP_GRO, udpLibc, writeSockaddrIn } from './libc.js';
import { createSlots } from './packet-slots.js';
import type { Slots } from './packet-slots.js';
import type { NativeMemory, UdpLibc } from './libc.js';
import { decideTunPacket, decideUdpPacket } from './packet-decisions.js';
import type { ForwarderStats } from './udp-boundaries.js';
import { continuesTcpRun, joinTcpRun, tcpPayloadLength } from './tcp-coalescing.js';
import { completeChecksum, segmentTcp, tcpHeadersLength, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_NONE, VIRTIO_NET_HDR_GSO_TCPV4, VNET_HDR_BYTES } from './tcp-segmentation.js';
import { UdpRouteTable } from './udp-route-table.js';
import type { UdpRoute } from './udp-route-table.js';

/** Drain rounds between two looks at the command port while traffic keeps the loop busy. */
const COMMAND_CHECK_ROUNDS = 256;
/** Drain rounds a direction that returned nothing is skipped while the other direction keeps the loop busy. */
const IDLE_SKIP_ROUNDS = 4;
/** Retries of a TUN write that fails with EAGAIN before the packet is dropped (flannel retries forever). */
const TUN_WRITE_RETRIES = 64;
const POLLFD_BYTES = 8;
/** GSO messages one super-packet may take: 64 KiB of payload in 1,420-byte segments takes 2; 3 covers an MSS down to ~350 bytes (smaller: single datagrams). */
const GSO_REGIONS = 3;
/**
 * A received slot when the socket asks for UDP_GRO: the most the kernel hands over joined. skb_gro_receive
 * (net/core/gro.c) keeps a non-TCP GRO packet under 64 KiB with its IPv4 header, and a UDP GSO send is at
 * most 65,507 bytes of payload, so a message never exceeds 65,507 bytes here.
 */
const GRO_SLOT_BYTES = 65_536;
/** At most this many GRO slots (2 MiB), whatever the batch size. */
const GRO_MAX_SLOTS = 32;
/** `CMSG_SPACE(sizeof(int))`: room for the UDP_GRO control message (the segment size). */
const GRO_CMSG_SPACE = 24;

type MutableStats = { -readonly [K in keyof ForwarderStats]: ForwarderStats[K] };

/**
 * Runs the forwarder loop on the calling (worker) thread until a `stop` command. Throws on a fatal error
 * (a failing `poll`), which ends the worker with an error event.
 */
export function runForwarderLoop(data: ForwarderWorkerData): void {
  const libc: UdpLibc = udpLibc();
  const { tunFd, socketFd, wakeFd, port, tunAddress, mtu, role } = data;
  const batch = Math.max(1, data.batchSize);
  // TUN offloads (IFF_VNET_HDR) only with batching: a super-packet becomes up to ~45 datagrams at once.
  const vnet = data.offload && batch > 1 ? VNET_HDR_BYTES : 0;
  const table = new UdpRouteTable();
  const stats: MutableStats = { tunPackets: 0, sentDatagrams: 0, receivedDatagrams: 0, tunWrites: 0, noRoute: 0, dropped: 0, polls: 0, coalesced: 0, gsoMessages: 0, groMessages: 0 };
  const reply = (message: ForwarderReply): void => port.postMessage(message);

  const fds = role === 'both' ? [tunFd, socketFd, wakeFd] : role === 'tun-to-udp' ? [tunFd, wakeFd] : [socketFd, wakeFd];
  const control = allocNative(fds.length * POLLFD_BYTES + 8 + VNET_HDR_BYTES + NET_UNREACHABLE_MAX_BYTES);
  fds.forEach((fd, index) => {
    control.view.setInt32(index * POLLFD_BYTES, fd, true);
    control.view.setInt16(index * POLLFD_BYTES + 4, POLLIN, true);
  });
  const wakeIndex = fds.length - 1;
  // Where poll reports the TUN and the socket (-1: this thread does not poll it).
  const tunIndex = role === 'udp-to-tun' ? -1 : 0;
  const socketIndex = role === 'both' ? 1 : role === 'udp-to-tun' ? 0 : -1;
  const counterAt = fds.length * POLLFD_BYTES;
  // The ICMP reply is written from icmpAt - vnet: a zeroed virtio_net_hdr precedes it when offloading.
  const icmpAt = counterAt + 8 + VNET_HDR_BYTES;
  const icmp = control.bytes.subarray(icmpAt, icmpAt + NET_UNREACHABLE_MAX_BYTES);

  // …and the socket's, where the kernel has them: UDP GSO sends a super-packet's segments in one message,
  // UDP GRO receives a peer's datagrams still joined.
  const gso = vnet > 0 && role !== 'udp-to-tun' && data.udpGso === true;
  const gro = vnet > 0 && role !== 'tun-to-udp' && data.udpGro === true;
  const tx = role === 'udp-to-tun' ? undefined : createSlots({ count: batch, slotBytes: mtu, withNames: true });
  const rxSlotBytes = (gro ? GRO_SLOT_BYTES : mtu) + vnet;
  // 64 KiB GRO slots are capped in number: a message of joined datagrams already carries up to 64 of them.
  const rxCount = gro ? Math.min(batch, GRO_MAX_SLOTS) : batch;
  const rx = role === 'tun-to-udp' ? undefined : createSlots({ count: rxCount, slotBytes: rxSlotBytes, withNames: false, headroom: vnet, controlBytes: gro ? GRO_CMSG_SPACE : 0 });
  const txPackets = tx?.memory.bytes.subarray(0, batch * mtu);
  const rxPackets = rx?.memory.bytes.subarray(0, rxCount * rxSlotBytes);
  // With offloads the TUN hands over packets of up to 64 KiB behind a virtio_net_hdr.
  const large = vnet > 0 && tx !== undefined ? allocNative(VNET_HDR_BYTES + 65_536) : undefined;
  const gsoArea = gso ? createGsoSendArea(GSO_REGIONS) : undefined;
  // …and take TCP super-packets back: runs of received segments are joined here before one TUN write.
  const joined = vnet > 0 && rx !== undefined ? allocNative(VNET_HDR_BYTES + 65_536) : undefined;

  /** Applies queued commands; true on `stop`. */
  const drainCommands = (): boolean => {
    for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
      const command = message.message as ForwarderCommand;
      switch (command.op) {
        case 'set-route':
          table.set(command.route);
          break;
        case 'delete-route':
          table.delete(command.network, command.prefixLength);
          break;
        case 'sync':
          reply({ op: 'synced', id: command.id });
          break;
        case 'stats':
          reply({ op: 'stats', id: command.id, stats: { ...stats } });
          break;
        case 'stop':
          return true;
      }
    }
    return false;
  };

  const writeTun = (address: number, length: number): void => {
    for (let attempt = 0; attempt < TUN_WRITE_RETRIES; attempt += 1) {
      if (libc.write(tunFd, address, length) >= 0) {
        stats.tunWrites += 1;
        return;
      }
      if (libc.errno() !== EAGAIN) break;
    }
    stats.dropped += 1;
  };

  /** Sends slots [0, count) with sendmmsg, dropping a datagram the socket refuses. */
  const flush = (slots: Slots, count: number): void => {
    let sent = 0;
    while (sent < count) {
      const result = libc.sendmmsg(socketFd, slots.memory.address + slots.headerAt + sent * MMSGHDR_BYTES, count - sent, 0);
      if (result <= 0) {
        // The datagram at `sent` failed (EAGAIN under a full send buffer): drop it and carry on.
        stats.dropped += 1;
        sent += 1;
        continue;
      }
      stats.sentDatagrams += result;
      sent += result;
    }
  };

  /** Reads one TUN packet into slot `index`; true when it is to be sent (its sockaddr written). -1: nothing to read. */
  const readTun = (slots: Slots, packets: Uint8Array, index: number): number => {
    const offset = index * slots.slotBytes;
    const n = libc.read(tunFd, slots.memory.address + offset, slots.slotBytes);
    if (n < 0) return -1;
    stats.tunPackets += 1;
    const decision = decideTunPacket(packets, offset, n, table, tunAddress, icmp);
    if (typeof decision === 'number') {
      if (decision > 0) {
        stats.noRoute += 1;
        writeTun(control.address + icmpAt - vnet, decision + vnet);
      } else stats.dropped += 1;
      return 0;
    }
    // A flow's packets share a route: rewrite the slot's sockaddr only when the route changes.
    if (slots.destinations[index] !== decision) {
      slots.destinations[index] = decision;
      writeSockaddrIn(slots.memory.view, slots.nameAt + index * SOCKADDR_IN_BYTES, decision.nextHop, decision.port);
    }
    return n;
  };

  const tunToUdpPlain = (slots: Slots, packets: Uint8Array): boolean => {
    const n = readTun(slots, packets, 0);
    if (n < 0) return false;
    if (n === 0) return true;
    if (libc.sendto(socketFd, slots.memory.address, n, 0, slots.memory.address + slots.nameAt, SOCKADDR_IN_BYTES) < 0) stats.dropped += 1;
    else stats.sentDatagrams += 1;
    return true;
  };

  const tunToUdpBatch = (slots: Slots, packets: Uint8Array): boolean => {
    let count = 0;
    let read = false;
    const { view } = slots.memory;
    while (count < slots.count) {
      const n = readTun(slots, packets, count);
      if (n < 0) break;
      read = true;
      if (n === 0) continue;
      view.setUint32(slots.iovAt + count * IOVEC_BYTES + 8, n, true);
      count += 1;
    }
    flush(slots, count);
    return read;
  };

  /**
   * Sends the TCP super-packet in `bytes` (`n` bytes behind its virtio_net_hdr) to `route` as UDP GSO
   * messages: its segments, cut here, laid end to end for the kernel to send one datagram each. False when
   * this super-packet must be cut and sent in user space instead (it needs more messages than the area
   * has, or the kernel refused GSO for it).
   */
  // Routes the kernel refused a GSO send for, for reasons that stay (EIO: a device without checksum offload
  // or an xfrm route; EINVAL or EMSGSIZE: a path MTU below the TUN's): their super-packets are cut in user
  // space until the route changes (a changed lease brings a new route object). Other errors fail once.
  const gsoRefused = new WeakSet<UdpRoute>();
  const sendGso = (area: GsoSendArea, bytes: Uint8Array, n: number, mss: number, route: UdpRoute): boolean => {
    const headers = tcpHeadersLength(bytes, VNET_HDR_BYTES);
    const segments = Math.ceil((n - headers) / mss);
    const perMessage = gsoSegmentsPerMessage(headers + mss);
    const messages = Math.ceil(segments / perMessage);
    if (messages > area.regions) return false;
    if (area.destination !== route) {
      area.destination = route;
      writeSockaddrIn(area.memory.view, area.nameAt, route.nextHop, route.port);
    }
    const out = area.memory.bytes;
    for (let message = 0; message < messages; message += 1) {
      const start = message * area.regionBytes;
      let at = start;
      for (let index = message * perMessage; index < Math.min(segments, (message + 1) * perMessage); index += 1) at += segmentTcp(bytes, VNET_HDR_BYTES, n, mss, out, at, index, area.memory.view);
      setGsoMessage(area, message, at - start, headers + mss);
    }
    for (let sent = 0; sent < messages; ) {
      const result = libc.sendmmsg(socketFd, area.memory.address + area.headerAt + sent * MMSGHDR_BYTES, messages - sent, 0);
      if (result > 0) {
        stats.gsoMessages += result;
        stats.sentDatagrams += Math.min(segments, (sent + result) * perMessage) - sent * perMessage;
        sent += result;
        continue;
      }
      const errno = libc.errno();
      if (sent === 0 && errno !== EAGAIN && errno !== ENOBUFS) {
        if (errno === EIO || errno === EINVAL || errno === EMSGSIZE) gsoRefused.add(route);
        return false;
      }
      // A full send buffer: this message's segments are lost, as single datagrams would be.
      stats.dropped += Math.min(segments, (sent + 1) * perMessage) - sent * perMessage;
      sent += 1;
    }
    return true;
  };

  /** Offload mode: reads TUN packets (super-packets sent with GSO, or cut into segments) into the slots and sends them. */
  const tunToUdpOffload = (slots: Slots, packets: Uint8Array, buffer: NativeMemory): boolean => {
    const bytes = buffer.bytes;
    const view = slots.memory.view;
    let count = 0;
    let read = false;
    for (let reads = 0; reads < slots.count; reads += 1) {
      const n = libc.read(tunFd, buffer.address, bytes.length) - VNET_HDR_BYTES;
      if (n < 0) break;
      read = true;
      stats.tunPackets += 1;
      const gsoType = bytes[1]! & 0x7f;
      const gsoSize = bytes[4]! | (bytes[5]! << 8);
      if ((bytes[0]! & VIRTIO_NET_HDR_F_NEEDS_CSUM) !== 0 && gsoType === VIRTIO_NET_HDR_GSO_NONE) {
        completeChecksum(bytes, VNET_HDR_BYTES, n, bytes[6]! | (bytes[7]! << 8), bytes[8]! | (bytes[9]! << 8), buffer.view);
      }
      const decision = decideTunPacket(bytes, VNET_HDR_BYTES, n, table, tunAddress, icmp);
      if (typeof decision === 'number') {
        if (decision > 0) {
          stats.noRoute += 1;
          writeTun(control.address + icmpAt - vnet, decision + vnet);
        } else stats.dropped += 1;
        continue;
      }
      const superPacket = gsoType === VIRTIO_NET_HDR_GSO_TCPV4 && gsoSize > 0;
      if (superPacket && gsoArea !== undefined && !gsoRefused.has(decision)) {
        // What is queued goes first: a flow's packets keep their order.
        flush(slots, count);
        count = 0;
        if (sendGso(gsoArea, bytes, n, gsoSize, decision)) continue;
      }
      const segments = superPacket ? Math.ceil((n - tcpHeadersLength(bytes, VNET_HDR_BYTES)) / gsoSize) : 1;
      for (let index = 0; index < segments; index += 1) {
        if (count === slots.count) {
          flush(slots, count);
          count = 0;
        }
        const offset = count * slots.slotBytes;
        let length = n;
        if (superPacket) length = segmentTcp(bytes, VNET_HDR_BYTES, n, gsoSize, packets, offset, index, view);
        else packets.set(bytes.subarray(VNET_HDR_BYTES, VNET_HDR_BYTES + n), offset);
        if (length > slots.slotBytes) {
          stats.dropped += 1;
          continue;
        }
        if (slots.destinations[count] !== decision) {
          slots.destinations[count] = decision;
          writeSockaddrIn(view, slots.nameAt + count * SOCKADDR_IN_BYTES, decision.nextHop, decision.port);
        }
        view.setUint32(slots.iovAt + count * IOVEC_BYTES + 8, length, true);
        count += 1;
      }
    }
    flush(slots, count);
    return read;
  };

  const udpToTunPlain = (slots: Slots, packets: Uint8Array): boolean => {
    const n = libc.recv(socketFd, slots.memory.address, slots.slotBytes, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) return false;
    stats.receivedDatagrams += 1;
    if (decideUdpPacket(packets, 0, Math.min(n, slots.slotBytes), n > slots.slotBytes)) writeTun(slots.memory.address, n);
    else stats.dropped += 1;
    return true;
  };

  /**
   * Receives up to a batch of messages with one `recvmmsg` and screens each datagram in them
   * (`decideUdpPacket`); with UDP GRO a message may hold several datagrams of one size, which a control
   * message gives. Datagram i of the batch is `packetLength[i]` bytes at `packetAt[i]` of the packets, or
   * dropped when its length is -1. Returns how many datagrams were received (0: nothing to read).
   */
  const packetAt: number[] = [];
  const packetLength: number[] = [];
  const receiveBatch = (slots: Slots, packets: Uint8Array): number => {
    const { view, address } = slots.memory;
    const received = libc.recvmmsg(socketFd, address + slots.headerAt, slots.count, MSG_DONTWAIT, 0);
    if (received <= 0) return 0;
    let count = 0;
    for (let index = 0; index < received; index += 1) {
      const header = slots.headerAt + index * MMSGHDR_BYTES;
      const length = view.getUint32(header + 56, true);
      const truncated = (view.getInt32(header + 48, true) & MSG_TRUNC) !== 0;
      let size = length;
      if (gro) {
        const cmsg = slots.controlAt + index * slots.controlBytes;
        if (view.getUint32(header + 40, true) >= 20 && view.getInt32(cmsg + 8, true) === SOL_UDP && view.getInt32(cmsg + 12, true) === UDP_GRO) {
          size = view.getInt32(cmsg + 16, true);
          if (size > 0 && size < length) stats.groMessages += 1;
        }
        view.setUint32(header + 40, slots.controlBytes, true); // the kernel wrote back the length it used
      }
      if (size <= 0 || size > length) size = Math.max(length, 1);
      const first = index * slots.slotBytes + vnet;
      for (let at = 0; at < length || at === 0; at += size) {
        const offset = first + at;
        const each = Math.min(size, length - at);
        // A datagram longer than the MTU counts as truncated, as in a slot of `mtu` bytes without GRO (the
        // 64 KiB GRO slot would otherwise take a peer's oversized datagram whole into the TUN).
        const ok = decideUdpPacket(packets, offset, each, truncated || each > mtu);
        packetAt[count] = offset;
        packetLength[count] = ok ? each : -1;
        if (!ok) stats.dropped += 1;
        count += 1;
      }
    }
    stats.receivedDatagrams += count;
    return count;
  };

  const udpToTunBatch = (slots: Slots, packets: Uint8Array): boolean => {
    const count = receiveBatch(slots, packets);
    for (let index = 0; index < count; index += 1) {
      if (packetLength[index]! >= 0) writeTun(slots.memory.address + packetAt[index]! - vnet, packetLength[index]! + vnet);
    }
    return count > 0;
  };

  /**
   * Offload mode: receives a batch and writes runs of one TCP stream into the TUN as GSO super-packets.
   * A datagram written on its own needs a zeroed virtio_net_hdr before it: the slot's headroom when it
   * starts a slot, else (the second and later datagrams of a GRO message) a copy behind one.
   */
  const runOffsets: number[] = [];
  const runPayloads: number[] = [];
  const udpToTunOffload = (slots: Slots, packets: Uint8Array, out: NativeMemory): boolean => {
    const { address } = slots.memory;
    const count = receiveBatch(slots, packets);
    if (count === 0) return false;
    for (let index = 0; index < count; ) {
      const length = packetLength[index]!;
      if (length < 0) {
        index += 1;
        continue;
      }
      const first = packetAt[index]!;
      const mss = tcpPayloadLength(packets, first, length);
      let next = index + 1;
      let run = 1;
      if (mss > 0) {
        runOffsets[0] = first;
        runPayloads[0] = mss;
        while (next < count && packetLength[next]! >= 0) {
          const offset = packetAt[next]!;
          const payload = tcpPayloadLength(packets, offset, packetLength[next]!);
          if (payload <= 0 || !continuesTcpRun(packets, first, runOffsets[run - 1]!, runPayloads[run - 1]!, offset, payload, mss, slots.memory.view)) break;
          runOffsets[run] = offset;
          runPayloads[run] = payload;
          run += 1;
          next += 1;
        }
      }
      if (run > 1) {
        const written = joinTcpRun(packets, runOffsets, runPayloads, run, mss, out.bytes);
        if (written > 0) {
          writeTun(out.address, written);
          stats.coalesced += run;
          index = next;
          continue;
        }
      }
      // Not joined: each datagram on its own, behind a zeroed virtio_net_hdr.
      for (; index < next; index += 1) {
        const at = packetAt[index]!;
        if ((at - vnet) % slots.slotBytes === 0) writeTun(address + at - vnet, packetLength[index]! + vnet);
        else {
          out.bytes.fill(0, 0, VNET_HDR_BYTES);
          out.bytes.set(packets.subarray(at, at + packetLength[index]!), VNET_HDR_BYTES);
          writeTun(out.address, packetLength[index]! + VNET_HDR_BYTES);
        }
      }
    }
    return true;
  };

  const tunToUdp =
    tx === undefined
      ? () => false
      : large !== undefined
        ? () => tunToUdpOffload(tx, txPackets!, large)
        : batch > 1
          ? () => tunToUdpBatch(tx, txPackets!)
          : () => tunToUdpPlain(tx, txPackets!);
  const udpToTun =
    rx === undefined
      ? () => false
      : joined !== undefined
        ? () => udpToTunOffload(rx, rxPackets!, joined)
        : batch > 1
          ? () => udpToTunBatch(rx, rxPackets!)
          : () => udpToTunPlain(rx, rxPackets!);

  const loop = (): void => {
    reply({ op: 'ready' });
    if (drainCommands()) return;
    for (;;) {
      stats.polls += 1;
      const ready = libc.poll(control.address, fds.length, -1);
      if (ready < 0) {
        const errno = libc.errno();
        if (errno === EINTR) continue;
        throw new Error(`udp forwarder: poll failed: errno ${errno}`);
      }
      if (control.view.getInt16(wakeIndex * POLLFD_BYTES + 6, true) !== 0) {
        libc.read(wakeFd, control.address + counterAt, 8);
        if (drainCommands()) return;
      }
      // Drain both directions until neither has data. A direction that had nothing is looked at again only
      // every IDLE_SKIP_ROUNDS + 1 rounds while the other keeps busy: under one-way load (TCP data one way,
      // its ACKs the other) this saves most of the syscalls that would only return EAGAIN.
      // A direction poll did not report readable starts skipped, as if it had just returned EAGAIN: after a
      // wake for one packet the other direction's read would only fail.
      let rounds = 0;
      let tunSkip = tunIndex >= 0 && control.view.getInt16(tunIndex * POLLFD_BYTES + 6, true) === 0 ? IDLE_SKIP_ROUNDS : 0;
      let udpSkip = socketIndex >= 0 && control.view.getInt16(socketIndex * POLLFD_BYTES + 6, true) === 0 ? IDLE_SKIP_ROUNDS : 0;
      for (let active = true; active; ) {
        let sent = false;
        let received = false;
        if (tunSkip === 0) {
          sent = tunToUdp();
          if (!sent) tunSkip = IDLE_SKIP_ROUNDS;
        } else tunSkip -= 1;
        if (udpSkip === 0) {
          received = udpToTun();
          if (!received) udpSkip = IDLE_SKIP_ROUNDS;
        } else udpSkip -= 1;
        // Nothing moved: every direction's latest look found nothing; poll (level-triggered) catches what comes.
        active = sent || received;
        rounds += 1;
        if (rounds % COMMAND_CHECK_ROUNDS === 0 && drainCommands()) return;
      }
    }
  };
  try {
    loop();
  } finally {
    for (const memory of [control, tx?.memory, rx?.memory, large, gsoArea?.memory, joined]) if (memory !== undefined) freeNative(memory);
  }
}
