// The native memory layout of one direction of the forwarder: `count` packet slots, and per slot the
// `struct sockaddr_in` (destination), `struct iovec`, control-message space and `struct mmsghdr` that
// `sendmmsg`/`recvmmsg` take, all in one koffi allocation so the loop passes addresses and never copies a
// packet between JS and C.
import { allocNative, IOVEC_BYTES, MMSGHDR_BYTES, SOCKADDR_IN_BYTES } from './libc.js';
import type { NativeMemory } from './libc.js';
import type { UdpRoute } from './udp-route-table.js';

/** One direction's packet slots: `count` packets of `slotBytes`, each with its sockaddr, iovec and mmsghdr. */
export interface Slots {
  readonly memory: NativeMemory;
  readonly slotBytes: number;
  readonly count: number;
  readonly packetAt: number;
  readonly nameAt: number;
  readonly iovAt: number;
  /** Where slot 0's control-message space starts (`controlBytes` per slot; none when 0). */
  readonly controlAt: number;
  readonly controlBytes: number;
  readonly headerAt: number;
  /** The route whose sockaddr each slot holds. */
  readonly destinations: (UdpRoute | undefined)[];
}

/** How {@link createSlots} lays the slots out. */
export interface SlotLayout {
  readonly count: number;
  readonly slotBytes: number;
  /** Point each mmsghdr at its sockaddr (sending). */
  readonly withNames: boolean;
  /** Bytes before each packet that stay zero (the virtio_net_hdr of a TUN with IFF_VNET_HDR). */
  readonly headroom?: number;
  /** Control-message space per slot, `msg_control`/`msg_controllen` pointed at it (0: none). */
  readonly controlBytes?: number;
}

/** Writes a 64-bit little-endian pointer. */
export function setPointer(view: DataView, offset: number, address: number): void {
  view.setUint32(offset, address % 0x1_0000_0000, true);
  view.setUint32(offset + 4, Math.floor(address / 0x1_0000_0000), true);
}

/** Allocates the slots. Freed with `freeNative(slots.memory)`. */
export function createSlots({ count, slotBytes, withNames, headroom = 0, controlBytes = 0 }: SlotLayout): Slots {
  const packetAt = 0;
  const nameAt = count * slotBytes;
  const iovAt = nameAt + count * SOCKADDR_IN_BYTES;
  const controlAt = iovAt + count * IOVEC_BYTES;
  const headerAt = controlAt + count * controlBytes;
  const memory = allocNative(headerAt + count * MMSGHDR_BYTES);
  const { view, address } = memory;
  for (let index = 0; index < count; index += 1) {
    const iov = iovAt + index * IOVEC_BYTES;
    setPointer(view, iov, address + packetAt + index * slotBytes + headroom);
    view.setUint32(iov + 8, slotBytes - headroom, true);
    const header = headerAt + index * MMSGHDR_BYTES;
    if (withNames) {
      setPointer(view, header, address + nameAt + index * SOCKADDR_IN_BYTES); // msg_name
      view.setUint32(header + 8, SOCKADDR_IN_BYTES, true); // msg_namelen
    }
    setPointer(view, header + 16, address + iov); // msg_iov
    view.setUint32(header + 24, 1, true); // msg_iovlen
    if (controlBytes > 0) {
      setPointer(view, header + 32, address + controlAt + index * controlBytes); // msg_control
      view.setUint32(header + 40, controlBytes, true); // msg_controllen
    }
  }
  return { memory, slotBytes, count, packetAt, nameAt, iovAt, controlAt, controlBytes, headerAt, destinations: new Array<UdpRoute | undefined>(count).fill(undefined) };
}
