// ICMP destination-unreachable / net-unreachable (type 3, code 0), which flannel's proxy writes back into
// the TUN for a packet to a subnet with no lease (pkg/backend/udp/proxy_amd64.c, send_net_unreachable):
// IPv4 header (no options, id 0, no flags, TTL 8, protocol ICMP) from the TUN address to the offender's
// source; the ICMP header with 4 unused zero bytes; the offender's IP header and the first 8 bytes of its
// payload (RFC 792).
import { internetChecksum, IPV4_MIN_HEADER_BYTES, IPV4_PROTOCOL_OFFSET, IPV4_SOURCE_OFFSET } from './ipv4-packet.js';

/** IP protocol number of ICMP. */
export const IPPROTO_ICMP = 1;
/** `ICMP_DEST_UNREACH` */
export const ICMP_DEST_UNREACH = 3;
/** `ICMP_NET_UNREACH` */
export const ICMP_NET_UNREACH = 0;
/** TTL of the generated packet, as flannel's proxy sets it. */
export const NET_UNREACHABLE_TTL = 8;
/** Longest IPv4 header (IHL 15). */
const MAX_HEADER_BYTES = 60;
const ICMP_HEADER_BYTES = 8;

/** The longest packet {@link netUnreachable} builds: 20 + 8 + 60 + 8 bytes. */
export const NET_UNREACHABLE_MAX_BYTES = IPV4_MIN_HEADER_BYTES + ICMP_HEADER_BYTES + MAX_HEADER_BYTES + 8;

/**
 * Writes the ICMP net-unreachable reply to the offending IPv4 packet `offender` (of `length` bytes) into
 * `target` at `offset` and returns its length, or 0 when none is due: the offender is itself ICMP (RFC 792:
 * no ICMP about ICMP), a non-first fragment, or has a malformed header length. `source` is the TUN address
 * (the lease's subnet network address) as an unsigned 32-bit number. Offender bytes missing from a short
 * packet are sent as zeros.
 *
 * @example
 * ```ts
 * const reply = new Uint8Array(NET_UNREACHABLE_MAX_BYTES);
 * const length = netUnreachable(packet, packet.length, 0x0a050100, reply);
 * if (length > 0) write(tun, reply, length);
 * ```
 */
export function netUnreachable(offender: Uint8Array, length: number, source: number, target: Uint8Array, offset = 0): number {
  if (length < IPV4_MIN_HEADER_BYTES) return 0;
  const headerBytes = (offender[0]! & 0x0f) * 4;
  if (headerBytes < IPV4_MIN_HEADER_BYTES || headerBytes > MAX_HEADER_BYTES) return 0;
  if (offender[IPV4_PROTOCOL_OFFSET] === IPPROTO_ICMP) return 0;
  if (((offender[6]! << 8) | offender[7]!) & 0x1fff) return 0;
  const quoted = headerBytes + 8;
  const total = IPV4_MIN_HEADER_BYTES + ICMP_HEADER_BYTES + quoted;
  target.fill(0, offset, offset + total);
  const view = new DataView(target.buffer, target.byteOffset + offset, total);
  view.setUint8(0, 0x45); // version 4, IHL 5
  view.setUint16(2, total);
  view.setUint8(8, NET_UNREACHABLE_TTL);
  view.setUint8(9, IPPROTO_ICMP);
  view.setUint32(12, source >>> 0);
  target.set(offender.subarray(IPV4_SOURCE_OFFSET, IPV4_SOURCE_OFFSET + 4), offset + 16);
  view.setUint16(10, internetChecksum(target, offset, IPV4_MIN_HEADER_BYTES));
  const icmp = offset + IPV4_MIN_HEADER_BYTES;
  target[icmp] = ICMP_DEST_UNREACH;
  target[icmp + 1] = ICMP_NET_UNREACH;
  target.set(offender.subarray(0, Math.min(quoted, length)), icmp + ICMP_HEADER_BYTES);
  view.setUint16(IPV4_MIN_HEADER_BYTES + 2, internetChecksum(target, icmp, ICMP_HEADER_BYTES + quoted));
  return total;
}
