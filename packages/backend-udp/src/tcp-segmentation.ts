// What the kernel leaves to a TUN opened with IFF_VNET_HDR and TUNSETOFFLOAD(TUN_F_CSUM|TUN_F_TSO4): a
// packet may arrive with its transport checksum only started (VIRTIO_NET_HDR_F_NEEDS_CSUM), and a TCP
// packet may be a "super-packet" of up to 64 KiB to cut into MSS-sized segments (VIRTIO_NET_HDR_GSO_TCPV4).
// Cutting it here keeps flannel's wire format — one ordinary IPv4 packet per datagram — while the TUN
// hands over 40 segments per read instead of one. Pure functions over bytes.
import { internetChecksum } from './ipv4-packet.js';

/** `sizeof(struct virtio_net_hdr)`: the header before every packet on a TUN with IFF_VNET_HDR. */
export const VNET_HDR_BYTES = 10;
/** `VIRTIO_NET_HDR_F_NEEDS_CSUM` */
export const VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
/** `VIRTIO_NET_HDR_GSO_NONE` */
export const VIRTIO_NET_HDR_GSO_NONE = 0;
/** `VIRTIO_NET_HDR_GSO_TCPV4` */
export const VIRTIO_NET_HDR_GSO_TCPV4 = 1;

/**
 * One's complement sum (not complemented, folded to 16 bits) of `length` bytes at `offset` of `view`, plus
 * `initial`. Sums big-endian 32-bit words, four to an iteration (2^16 ≡ 1 modulo 0xffff, so a word's halves
 * add up the same), which is 2.5× faster than 16-bit words from a byte array: the sender's cost is mostly
 * this sum over each segment's payload. Exact for up to 64 KiB (the partial sums stay below 2^53).
 */
export function onesSum(view: DataView, offset: number, length: number, initial: number): number {
  let sum = initial;
  const end = offset + length;
  let at = offset;
  for (; at + 15 < end; at += 16) sum += view.getUint32(at) + view.getUint32(at + 4) + view.getUint32(at + 8) + view.getUint32(at + 12);
  for (; at + 3 < end; at += 4) sum += view.getUint32(at);
  for (; at + 1 < end; at += 2) sum += view.getUint16(at);
  if (at < end) sum += view.getUint8(at) << 8;
  sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** A DataView over exactly the bytes of `bytes`. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Completes a checksum the kernel started (NEEDS_CSUM): the 16-bit field at `start + field` holds the
 * pseudo-header sum; the sum over `[start, end)` is complemented into it.
 *
 * @example
 * ```ts
 * completeChecksum(packet, 0, length, hdr.csumStart, hdr.csumOffset);
 * ```
 */
export function completeChecksum(packet: Uint8Array, offset: number, length: number, start: number, field: number, view: DataView = viewOf(packet)): void {
  const at = offset + start + field;
  const sum = onesSum(view, offset + start, length - start, 0);
  const checksum = ~sum & 0xffff;
  packet[at] = checksum >>> 8;
  packet[at + 1] = checksum & 0xff;
}

/** Bytes of IP + TCP headers of the IPv4/TCP packet at `offset`. */
export function tcpHeadersLength(packet: Uint8Array, offset: number): number {
  return (packet[offset]! & 0x0f) * 4 + (packet[offset + (packet[offset]! & 0x0f) * 4 + 12]! >>> 4) * 4;
}

/**
 * Writes segment `index` of the IPv4/TCP super-packet at `source[sourceOffset…+length)` (payload cut every
 * `mss` bytes) into `target` at `targetOffset`, as the kernel's TSO would: headers copied, IP total length,
 * id (+index) and header checksum, TCP sequence (+index·mss), FIN/PSH only on the last segment and CWR only
 * on the first, and a full TCP checksum. Returns the segment's length. `targetView` is a view of `target`
 * (the forwarder passes its own, so cutting allocates nothing).
 *
 * @example
 * ```ts
 * const count = Math.ceil((length - tcpHeadersLength(packet, 0)) / mss);
 * for (let index = 0; index < count; index += 1) send(slot, segmentTcp(packet, 0, length, mss, slot, 0, index));
 * ```
 */
export function segmentTcp(
  source: Uint8Array,
  sourceOffset: number,
  length: number,
  mss: number,
  target: Uint8Array,
  targetOffset: number,
  index: number,
  targetView: DataView = viewOf(target),
): number {
  const ipBytes = (source[sourceOffset]! & 0x0f) * 4;
  const headers = tcpHeadersLength(source, sourceOffset);
  const payload = length - headers;
  const from = index * mss;
  const size = Math.min(mss, payload - from);
  const total = headers + size;
  target.set(source.subarray(sourceOffset, sourceOffset + headers), targetOffset);
  target.set(source.subarray(sourceOffset + headers + from, sourceOffset + headers + from + size), targetOffset + headers);
  const view = targetView;
  // IPv4: total length, id, header checksum.
  target[targetOffset + 2] = total >>> 8;
  target[targetOffset + 3] = total & 0xff;
  const id = (((source[sourceOffset + 4]! << 8) | source[sourceOffset + 5]!) + index) & 0xffff;
  target[targetOffset + 4] = id >>> 8;
  target[targetOffset + 5] = id & 0xff;
  target[targetOffset + 10] = 0;
  target[targetOffset + 11] = 0;
  const ipChecksum = internetChecksum(target, targetOffset, ipBytes);
  target[targetOffset + 10] = ipChecksum >>> 8;
  target[targetOffset + 11] = ipChecksum & 0xff;
  // TCP: sequence, flags, checksum.
  const tcp = targetOffset + ipBytes;
  view.setUint32(tcp + 4, (view.getUint32(tcp + 4) + from) >>> 0);
  const last = from + size >= payload;
  let flags = target[tcp + 13]!;
  if (!last) flags &= ~0x09; // FIN, PSH
  if (index > 0) flags &= ~0x80; // CWR
  target[tcp + 13] = flags;
  target[tcp + 16] = 0;
  target[tcp + 17] = 0;
  const tcpLength = total - ipBytes;
  let pseudo = 6 + tcpLength;
  for (let at = targetOffset + 12; at < targetOffset + 20; at += 2) pseudo += (target[at]! << 8) | target[at + 1]!;
  const tcpChecksum = ~onesSum(view, tcp, tcpLength, pseudo) & 0xffff;
  target[tcp + 16] = tcpChecksum >>> 8;
  target[tcp + 17] = tcpChecksum & 0xff;
  return total;
}
