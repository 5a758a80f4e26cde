import { describe, expect, it } from 'vitest';
import { createGsoSendArea, GSO_MAX_SEGMENTS, gsoSegmentsPerMessage, setGsoMessage, UDP_MAX_PAYLOAD } from './gso-send-area.js';
import { freeNative, MMSGHDR_BYTES } from './libc.js';

/** Hex of `length` bytes at `offset`. */
function hex(bytes: Uint8Array, offset: number, length: number): string {
  return Buffer.from(bytes.subarray(offset, offset + length)).toString('hex');
}

/** A 64-bit little-endian pointer as a number. */
function pointer(view: DataView, offset: number): number {
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 0x1_0000_0000;
}

describe('gsoSegmentsPerMessage', () => {
  it('keeps a message within the largest UDP payload and within the segment limit every kernel checks, and takes all that fits', () => {
    for (let segment = 68; segment <= 65_508; segment += 1) {
      const count = gsoSegmentsPerMessage(segment);
      // udp_sendmsg / __ip_append_data: at most 65,507 bytes of payload (one segment alone is never split).
      if (count > 1) expect(count * segment, `segment ${segment}`).toBeLessThanOrEqual(UDP_MAX_PAYLOAD);
      // udp_send_skb before Linux 5.16 counted the IPv4 and UDP headers too: 28 + payload ≤ 64 × segment.
      expect(28 + count * segment, `segment ${segment}`).toBeLessThanOrEqual(GSO_MAX_SEGMENTS * segment);
      // …and one more segment would break one of the two.
      const more = count + 1;
      expect(more * segment > UDP_MAX_PAYLOAD || 28 + more * segment > GSO_MAX_SEGMENTS * segment, `segment ${segment}`).toBe(true);
    }
  });

  it('gives 63 segments, not 64, to a small MSS (576-byte segments: 64 would be refused with EINVAL before Linux 5.16)', () => {
    expect(gsoSegmentsPerMessage(576)).toBe(63);
    expect(gsoSegmentsPerMessage(1420)).toBe(46);
  });
});

describe('createGsoSendArea', () => {
  it('lays out each message as struct mmsghdr → iovec, sockaddr and one UDP_SEGMENT cmsghdr (64-bit Linux)', () => {
    const area = createGsoSendArea(2);
    try {
      const { bytes, view, address } = area.memory;
      setGsoMessage(area, 1, 2_840, 1_420);
      const control = area.controlAt + 24; // message 1's CMSG_SPACE(sizeof(uint16_t))
      expect(hex(bytes, control, 24)).toBe(
        [
          '1200000000000000', // cmsg_len: CMSG_LEN(sizeof(uint16_t)) = 18, a size_t (udp_cmsg_send refuses any other)
          '11000000', // cmsg_level: SOL_UDP
          '67000000', // cmsg_type: UDP_SEGMENT (103)
          '8c05', // the segment size, 1,420 (host order)
          '000000000000', // CMSG_SPACE padding
        ].join(''),
      );
      const header = area.headerAt + MMSGHDR_BYTES;
      expect(pointer(view, header)).toBe(address + area.nameAt); // msg_name
      expect(view.getUint32(header + 8, true)).toBe(16); // msg_namelen
      expect(pointer(view, header + 16)).toBe(address + area.iovAt + 16); // msg_iov
      expect(pointer(view, header + 24)).toBe(1); // msg_iovlen (size_t)
      expect(pointer(view, header + 32)).toBe(address + control); // msg_control
      expect(pointer(view, header + 40)).toBe(24); // msg_controllen (size_t)
      expect(view.getInt32(header + 48, true)).toBe(0); // msg_flags
      expect(pointer(view, area.iovAt + 16)).toBe(address + area.regionBytes); // iov_base: region 1
      expect(pointer(view, area.iovAt + 16 + 8)).toBe(2_840); // iov_len
      // cmsghdrs and mmsghdrs sit on 8-byte boundaries, as the CMSG_* macros assume.
      expect((address + area.controlAt) % 8).toBe(0);
      expect((address + area.headerAt) % 8).toBe(0);
      expect(area.regionBytes).toBeGreaterThanOrEqual(UDP_MAX_PAYLOAD);
    } finally {
      freeNative(area.memory);
    }
  });
});
