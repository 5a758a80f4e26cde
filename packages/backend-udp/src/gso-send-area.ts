// The native memory of UDP GSO sends (`UDP_SEGMENT`, Linux 4.18): a TCP super-packet from the TUN is cut
// into its segments laid end to end, each a complete inner IPv4 packet of the same length (the last may be
// shorter), and handed to the kernel in one `sendmmsg` message whose control message says that length. The
// kernel (or the NIC) cuts the message into one datagram per segment, so the wire carries exactly what
// flannel's proxy sends — one raw IPv4 packet per UDP datagram — for one trip through the network stack
// instead of one per datagram. A peer whose socket asks for UDP_GRO may receive the datagrams still joined.
// A message carries at most GSO_MAX_SEGMENTS segments and 65,507 bytes (a UDP datagram's largest payload),
// so a super-packet may take a few messages, all in one `sendmmsg`.
import { allocNative, CMSGHDR_BYTES, IOVEC_BYTES, MMSGHDR_BYTES, SOCKADDR_IN_BYTES, SOL_UDP, UDP_SEGMENT } from './libc.js';
import type { NativeMemory } from './libc.js';
import { setPointer } from './packet-slots.js';
import type { UdpRoute } from './udp-route-table.js';

/**
 * The kernel's `UDP_MAX_SEGMENTS` (include/linux/udp.h): 64 since UDP GSO came (Linux 4.18); Linux 6.9
 * raised it to 128 (commit 1382e3b6a350, also taken into some stable series), so 64 is what every kernel
 * with UDP GSO takes. UDP GRO still joins at most 64 datagrams (`UDP_GRO_CNT_MAX`).
 */
export const GSO_MAX_SEGMENTS = 64;
/** The largest UDP payload over IPv4: 65,535 − 20 (IPv4 header) − 8 (UDP header). */
export const UDP_MAX_PAYLOAD = 65_507;
/** IPv4 and UDP header bytes: what `udp_send_skb` (net/ipv4/udp.c) counted in its segment limit before Linux 5.16. */
const IPV4_UDP_HEADER_BYTES = 28;
/** `CMSG_LEN(sizeof(uint16_t))`: the kernel refuses a UDP_SEGMENT control message of any other length. */
const SEGMENT_CMSG_LEN = CMSGHDR_BYTES + 2;
/** `CMSG_SPACE(sizeof(uint16_t))` */
const SEGMENT_CMSG_SPACE = CMSGHDR_BYTES + 8;

/** `regions` messages of up to {@link UDP_MAX_PAYLOAD} bytes to one destination, with their iovecs, UDP_SEGMENT control messages and mmsghdrs. */
export interface GsoSendArea {
  readonly memory: NativeMemory;
  /** Bytes of each message's region; message `m` starts at `m * regionBytes`. */
  readonly regionBytes: number;
  readonly regions: number;
  readonly nameAt: number;
  readonly iovAt: number;
  readonly controlAt: number;
  readonly headerAt: number;
  /** The route whose sockaddr the area holds. */
  destination: UdpRoute | undefined;
}

/** Allocates an area of `regions` messages, all addressed to the area's one sockaddr. Freed with `freeNative(area.memory)`. */
export function createGsoSendArea(regions: number): GsoSendArea {
  const regionBytes = UDP_MAX_PAYLOAD + 5; // rounded up to a multiple of 8
  const nameAt = regions * regionBytes;
  const iovAt = nameAt + SOCKADDR_IN_BYTES;
  const controlAt = iovAt + regions * IOVEC_BYTES;
  const headerAt = controlAt + regions * SEGMENT_CMSG_SPACE;
  const memory = allocNative(headerAt + regions * MMSGHDR_BYTES);
  const { view, address } = memory;
  for (let region = 0; region < regions; region += 1) {
    const iov = iovAt + region * IOVEC_BYTES;
    setPointer(view, iov, address + region * regionBytes);
    const control = controlAt + region * SEGMENT_CMSG_SPACE;
    setPointer(view, control, SEGMENT_CMSG_LEN); // cmsg_len (a size_t)
    view.setInt32(control + 8, SOL_UDP, true); // cmsg_level
    view.setInt32(control + 12, UDP_SEGMENT, true); // cmsg_type
    const header = headerAt + region * MMSGHDR_BYTES;
    setPointer(view, header, address + nameAt); // msg_name
    view.setUint32(header + 8, SOCKADDR_IN_BYTES, true); // msg_namelen
    setPointer(view, header + 16, address + iov); // msg_iov
    view.setUint32(header + 24, 1, true); // msg_iovlen
    setPointer(view, header + 32, address + control); // msg_control
    view.setUint32(header + 40, SEGMENT_CMSG_SPACE, true); // msg_controllen
  }
  return { memory, regionBytes, regions, nameAt, iovAt, controlAt, headerAt, destination: undefined };
}

/** Sets message `region`'s length and segment size (the UDP_SEGMENT value). */
export function setGsoMessage(area: GsoSendArea, region: number, length: number, segmentBytes: number): void {
  area.memory.view.setUint32(area.iovAt + region * IOVEC_BYTES + 8, length, true);
  area.memory.view.setUint16(area.controlAt + region * SEGMENT_CMSG_SPACE + CMSGHDR_BYTES, segmentBytes, true);
}

/**
 * How a super-packet of `segments` segments of `segmentBytes` is split into GSO messages: segments per
 * message (the last message may hold fewer), within {@link GSO_MAX_SEGMENTS} and {@link UDP_MAX_PAYLOAD}.
 * Kernels before 5.16 (commit 158390e45612, taken into stable series since) refuse a message whose IPv4 +
 * UDP headers and payload exceed `UDP_MAX_SEGMENTS × segment size` with EINVAL, so 64 full segments of a
 * small MSS would fail there and every such super-packet would be cut twice; 63 fit every kernel.
 *
 * @example
 * ```ts
 * gsoSegmentsPerMessage(1420); // 46: 46 × 1,420 ≤ 65,507
 * gsoSegmentsPerMessage(576); // 63
 * ```
 */
export function gsoSegmentsPerMessage(segmentBytes: number): number {
  const bySize = Math.floor(UDP_MAX_PAYLOAD / segmentBytes);
  const byCount = Math.floor((GSO_MAX_SEGMENTS * segmentBytes - IPV4_UDP_HEADER_BYTES) / segmentBytes);
  return Math.max(1, Math.min(bySize, byCount));
}
