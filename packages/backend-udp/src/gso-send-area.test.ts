import { afterEach, describe, expect, it } from 'vitest';
import { createGsoSendArea, GSO_MAX_SEGMENTS, gsoSegmentsPerMessage, setGsoMessage, UDP_MAX_PAYLOAD } from './gso-send-area.js';
import type { GsoSendArea } from './gso-send-area.js';
import { freeNative } from './libc.js';

/** A 64-bit little-endian pointer read back. */
const pointer = (view: DataView, offset: number): number => view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 0x1_0000_0000;

describe('createGsoSendArea', () => {
  let area: GsoSendArea | undefined;
  afterEach(() => {
    if (area) freeNative(area.memory);
    area = undefined;
  });

  it('lays out one mmsghdr per message: the shared sockaddr, its iovec and a UDP_SEGMENT control message', () => {
    area = createGsoSendArea(2);
    const { view, address, bytes } = area.memory;
    setGsoMessage(area, 1, 44 * 1472, 1472);
    const header = area.headerAt + 64; // message 1
    expect(pointer(view, header)).toBe(address + area.nameAt); // msg_name
    expect(view.getUint32(header + 8, true)).toBe(16); // msg_namelen
    expect(pointer(view, header + 16)).toBe(address + area.iovAt + 16); // msg_iov
    expect(pointer(view, header + 24)).toBe(1); // msg_iovlen
    expect(pointer(view, header + 32)).toBe(address + area.controlAt + 24); // msg_control
    expect(pointer(view, header + 40)).toBe(24); // msg_controllen = CMSG_SPACE(2)
    expect(pointer(view, area.iovAt + 16)).toBe(address + area.regionBytes); // iov_base: region 1
    expect(pointer(view, area.iovAt + 16 + 8)).toBe(44 * 1472); // iov_len
    // struct cmsghdr { size_t cmsg_len = CMSG_LEN(2) = 18; int cmsg_level = SOL_UDP; int cmsg_type = UDP_SEGMENT; } + uint16 1472
    expect([...bytes.subarray(area.controlAt + 24, area.controlAt + 24 + 18)]).toEqual([18, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 103, 0, 0, 0, 0xc0, 0x05]);
    expect(area.regionBytes).toBeGreaterThanOrEqual(UDP_MAX_PAYLOAD);
    expect(area.regionBytes % 8).toBe(0);
  });
});

describe('gsoSegmentsPerMessage', () => {
  it('fits a message in one UDP datagram and the kernel segment limit', () => {
    expect(gsoSegmentsPerMessage(1472)).toBe(44); // 44 × 1,472 = 64,768 ≤ 65,507
    expect(gsoSegmentsPerMessage(1500)).toBe(43);
    expect(gsoSegmentsPerMessage(576)).toBe(GSO_MAX_SEGMENTS);
    expect(gsoSegmentsPerMessage(70_000)).toBe(1);
  });
});
