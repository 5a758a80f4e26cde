// The few IPv4 header operations the forwarder does per packet (pkg/backend/udp/proxy_amd64.c): read the
// destination, decrement the TTL and patch the header checksum incrementally (RFC 1624), and the full
// checksum the tests and the ICMP builder use. Pure functions over bytes, no allocation.

/** Bytes of an IPv4 header without options: shorter packets are dropped, as flannel does. */
export const IPV4_MIN_HEADER_BYTES = 20;
/** Offset of the TTL byte (the checksum patch relies on it being the high byte of the TTL/protocol word). */
export const IPV4_TTL_OFFSET = 8;
/** Offset of the protocol byte. */
export const IPV4_PROTOCOL_OFFSET = 9;
/** Offset of the header checksum (big endian). */
export const IPV4_CHECKSUM_OFFSET = 10;
/** Offset of the source address. */
export const IPV4_SOURCE_OFFSET = 12;
/** Offset of the destination address. */
export const IPV4_DESTINATION_OFFSET = 16;

/**
 * The destination address of the IPv4 packet at `offset`, as an unsigned 32-bit number
 * (`10.5.1.2` → `0x0a050102`).
 *
 * @example
 * ```ts
 * ipv4Destination(packet) === 0x0a050102; // packet to 10.5.1.2
 * ```
 */
export function ipv4Destination(packet: Uint8Array, offset = 0): number {
  const at = offset + IPV4_DESTINATION_OFFSET;
  return ((packet[at]! << 24) | (packet[at + 1]! << 16) | (packet[at + 2]! << 8) | packet[at + 3]!) >>> 0;
}

/**
 * The Internet checksum (RFC 1071) of `length` bytes at `offset`: the one's complement of the one's
 * complement sum of the 16-bit big-endian words (an odd last byte is padded with zero). Over a header whose
 * checksum field holds the right value it returns 0.
 *
 * @example
 * ```ts
 * internetChecksum(header, 0, 20) === 0; // a valid IPv4 header
 * ```
 */
export function internetChecksum(bytes: Uint8Array, offset: number, length: number): number {
  let sum = 0;
  const end = offset + length;
  let at = offset;
  for (; at + 1 < end; at += 2) sum += (bytes[at]! << 8) | bytes[at + 1]!;
  if (at < end) sum += bytes[at]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * Decrements the TTL of the IPv4 packet at `offset` and patches its header checksum with RFC 1624's
 * equation 3, `HC' = ~(~HC + ~m + m')`, where `m` is the TTL/protocol word: the result equals a full
 * recompute (for a header whose checksum was right). Returns `false`, leaving the packet as it was, when the
 * TTL would reach 0: the caller drops the packet (flannel's `decrement_ttl`, which sends no Time Exceeded).
 *
 * @example
 * ```ts
 * if (!decrementTtl(packet)) return; // expired: drop
 * ```
 */
export function decrementTtl(packet: Uint8Array, offset = 0): boolean {
  const ttlAt = offset + IPV4_TTL_OFFSET;
  const ttl = packet[ttlAt]!;
  if (ttl <= 1) return false;
  const protocol = packet[ttlAt + 1]!;
  const checkAt = offset + IPV4_CHECKSUM_OFFSET;
  const checksum = (packet[checkAt]! << 8) | packet[checkAt + 1]!;
  const before = (ttl << 8) | protocol;
  const after = before - 0x100;
  let sum = (~checksum & 0xffff) + (~before & 0xffff) + after;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  const patched = ~sum & 0xffff;
  packet[ttlAt] = ttl - 1;
  packet[checkAt] = patched >>> 8;
  packet[checkAt + 1] = patched & 0xff;
  return true;
}
