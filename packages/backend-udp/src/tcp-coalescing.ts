// The receive-side counterpart of tcp-segmentation.ts: consecutive datagrams carrying in-order segments of
// one TCP flow are joined into one super-packet written into the TUN behind a virtio_net_hdr that asks for
// GSO (VIRTIO_NET_HDR_GSO_TCPV4) and leaves the TCP checksum partial (NEEDS_CSUM), as a NIC's GRO would.
// One TUN write then delivers ~20 segments. Only what is provably one stream is joined (the rules of
// Linux's tcp_gro_receive, simplified): plain IPv4/TCP headers identical except length, id, checksum,
// sequence and PSH on the last; every segment but the last exactly `mss` bytes. Pure functions over bytes.
import { internetChecksum } from './ipv4-packet.js';
import { VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, VNET_HDR_BYTES } from './tcp-segmentation.js';

const TCP_ACK = 0x10;
const TCP_PSH = 0x08;
/** The largest IPv4 packet. */
const MAX_PACKET = 65_535;

/** TCP payload bytes of the IPv4/TCP packet at `offset` (`length` bytes), or -1 when it may not be joined at all. */
export function tcpPayloadLength(packet: Uint8Array, offset: number, length: number): number {
  if (length < 40 || packet[offset] !== 0x45 || packet[offset + 9] !== 6) return -1;
  if ((((packet[offset + 6]! << 8) | packet[offset + 7]!) & 0x3fff) !== 0) return -1; // MF or a fragment offset
  const headers = 20 + (packet[offset + 32]! >>> 4) * 4;
  if (headers > length || ((packet[offset + 2]! << 8) | packet[offset + 3]!) !== length) return -1;
  return length - headers;
}

/**
 * Whether the segment at `next` continues the run that the segment at `previous` ends and `first` starts:
 * same addresses, TOS, TTL, DF, ports, acknowledgement, window and options; the sequence number follows;
 * the previous segment is a full `mss` of plain ACK; the next is ACK, or ACK|PSH. `view` is a view of
 * `packet` (the forwarder passes its own, so the check allocates nothing).
 */
export function continuesTcpRun(
  packet: Uint8Array,
  first: number,
  previous: number,
  previousPayload: number,
  next: number,
  nextPayload: number,
  mss: number,
  view: DataView = new DataView(packet.buffer, packet.byteOffset, packet.byteLength),
): boolean {
  if (nextPayload <= 0 || nextPayload > mss || previousPayload !== mss) return false;
  if (packet[previous + 33] !== TCP_ACK) return false;
  const flags = packet[next + 33];
  if (flags !== TCP_ACK && flags !== (TCP_ACK | TCP_PSH)) return false;
  const headers = 20 + (packet[first + 32]! >>> 4) * 4;
  if (20 + (packet[next + 32]! >>> 4) * 4 !== headers) return false;
  if (packet[first + 1] !== packet[next + 1] || packet[first + 6] !== packet[next + 6] || packet[first + 8] !== packet[next + 8]) return false;
  for (let at = 12; at < 20; at += 1) if (packet[first + at] !== packet[next + at]) return false; // addresses
  for (let at = 20; at < 24; at += 1) if (packet[first + at] !== packet[next + at]) return false; // ports
  for (let at = 28; at < 32; at += 1) if (packet[first + at] !== packet[next + at]) return false; // ack
  if (packet[first + 34] !== packet[next + 34] || packet[first + 35] !== packet[next + 35]) return false; // window
  for (let at = 40; at < headers; at += 1) if (packet[first + at] !== packet[next + at]) return false; // options
  return ((view.getUint32(previous + 24) + previousPayload) >>> 0) === view.getUint32(next + 24);
}

/**
 * Writes the super-packet of the segments at `offsets` (each with `payloads[i]` bytes of payload, in order)
 * into `target` behind a virtio_net_hdr: the first segment's headers with the last one's flags, the IP total
 * length and header checksum, and the TCP checksum left as the pseudo-header sum for the kernel to finish.
 * Returns the bytes to write (header included), or 0 when the result would exceed 64 KiB.
 */
export function joinTcpRun(packet: Uint8Array, offsets: readonly number[], payloads: readonly number[], count: number, mss: number, target: Uint8Array): number {
  const first = offsets[0]!;
  const headers = 20 + (packet[first + 32]! >>> 4) * 4;
  let payload = 0;
  for (let index = 0; index < count; index += 1) payload += payloads[index]!;
  const total = headers + payload;
  if (total > MAX_PACKET || VNET_HDR_BYTES + total > target.length) return 0;
  target.fill(0, 0, VNET_HDR_BYTES);
  target[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
  target[1] = VIRTIO_NET_HDR_GSO_TCPV4;
  target[2] = headers & 0xff;
  target[3] = headers >>> 8;
  target[4] = mss & 0xff;
  target[5] = mss >>> 8;
  target[6] = 20; // csum_start: the TCP header
  target[8] = 16; // csum_offset: TCP's checksum field
  const out = VNET_HDR_BYTES;
  target.set(packet.subarray(first, first + headers), out);
  let at = out + headers;
  for (let index = 0; index < count; index += 1) {
    const start = offsets[index]! + headers;
    target.set(packet.subarray(start, start + payloads[index]!), at);
    at += payloads[index]!;
  }
  target[out + 33] = packet[offsets[count - 1]! + 33]!;
  target[out + 2] = total >>> 8;
  target[out + 3] = total & 0xff;
  target[out + 10] = 0;
  target[out + 11] = 0;
  const ipChecksum = internetChecksum(target, out, 20);
  target[out + 10] = ipChecksum >>> 8;
  target[out + 11] = ipChecksum & 0xff;
  let pseudo = 6 + (total - 20);
  for (let byte = out + 12; byte < out + 20; byte += 2) pseudo += (target[byte]! << 8) | target[byte + 1]!;
  while (pseudo > 0xffff) pseudo = (pseudo & 0xffff) + (pseudo >>> 16);
  target[out + 36] = pseudo >>> 8;
  target[out + 37] = pseudo & 0xff;
  return VNET_HDR_BYTES + total;
}
