// What the forwarder does with one packet, apart from the system calls: flannel's tun_to_udp and
// udp_to_tun (pkg/backend/udp/proxy_amd64.c) as pure functions, so the unit tests pin the behaviour and
// the worker loop only moves bytes.
import { netUnreachable } from './icmp-net-unreachable.js';
import { decrementTtl, IPV4_MIN_HEADER_BYTES, ipv4Destination } from './ipv4-packet.js';
import type { UdpRoute, UdpRouteTable } from './udp-route-table.js';

/** {@link decideTunPacket}: drop the packet. */
export const DROP = 0;

/**
 * A packet read from the TUN (`length` bytes at `offset` of `packet`): returns the route to send it on
 * (its TTL already decremented and checksum patched); or, when no route holds its destination, the
 * length (> 0) of the ICMP net-unreachable written into `reply`, to be written back into the TUN; or
 * {@link DROP} (shorter than an IPv4 header, TTL expired, or no route and no ICMP due).
 *
 * @example
 * ```ts
 * const decision = decideTunPacket(packet, 0, n, table, tunAddress, reply);
 * if (typeof decision === 'object') sendto(decision.nextHop, decision.port);
 * else if (decision > 0) write(tun, reply, decision);
 * ```
 */
export function decideTunPacket(packet: Uint8Array, offset: number, length: number, table: UdpRouteTable, tunAddress: number, reply: Uint8Array): UdpRoute | number {
  if (length < IPV4_MIN_HEADER_BYTES) return DROP;
  const route = table.lookup(ipv4Destination(packet, offset));
  if (route === undefined) return netUnreachable(packet.subarray(offset, offset + length), length, tunAddress, reply);
  return decrementTtl(packet, offset) ? route : DROP;
}

/**
 * A datagram from a peer (`length` bytes of payload at `offset` of `packet`, `truncated` when it did not
 * fit the buffer): true when it goes into the TUN, its TTL decremented. Anything that reaches the port is
 * accepted, as in flannel; shorter than an IPv4 header, truncated or TTL expired is dropped.
 *
 * @example
 * ```ts
 * if (decideUdpPacket(packet, 0, n, false)) write(tun, packet, n);
 * ```
 */
export function decideUdpPacket(packet: Uint8Array, offset: number, length: number, truncated: boolean): boolean {
  if (length < IPV4_MIN_HEADER_BYTES || truncated) return false;
  return decrementTtl(packet, offset);
}
