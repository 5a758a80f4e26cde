// The udp backend's socket (pkg/backend/udp/udp_network_amd64.go: `net.ListenUDP("udp4", IfaceAddr:Port)`):
// IPv4 UDP, non-blocking, bound to the interface address and the configured port, which is also the
// destination port of every peer. Opened with koffi rather than `node:dgram` because the forwarder thread
// needs the raw fd. flannel sets no buffer sizes; a larger receive buffer keeps a burst from overflowing
// the socket while the forwarder writes into the TUN. With `offload` the kernel's UDP offloads are asked
// for where it has them: UDP GRO (`UDP_GRO`, Linux 5.0) is turned on, and UDP GSO (`UDP_SEGMENT`, Linux
// 4.18) is probed — a kernel without it would ignore the control message and send one oversized datagram,
// hence a probe rather than a fallback after the first send.
import { FlannelError, IpNet } from '@flannel-ts/core';
import {
  AF_INET,
  allocNative,
  freeNative,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SO_SNDBUFFORCE,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SOCKADDR_IN_BYTES,
  SOL_SOCKET,
  SOL_UDP,
  UDP_GRO,
  UDP_SEGMENT,
  udpLibc,
  writeSockaddrIn,
} from './libc.js';
import type { UdpSocketHandle, UdpSocketOpener } from './udp-boundaries.js';

/** An IPv4 address as an unsigned 32-bit number. */
export function ipv4ToNumber(text: string): number {
  return Number(IpNet.parseAddress(text, 4).value) >>> 0;
}

/**
 * Opens and binds the backend's UDP socket through koffi. Rejects `BACKEND_FAILED` naming the address and
 * errno (98 `EADDRINUSE`: another flanneld holds the port).
 *
 * @example
 * ```ts
 * const socket = await openKernelUdpSocket({ address: '192.168.77.11', port: 8285, bufferBytes: 4 << 20 });
 * ```
 */
export const openKernelUdpSocket: UdpSocketOpener = ({ address, port, bufferBytes, offload = false }) => {
  const libc = udpLibc();
  const fd = libc.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new FlannelError('BACKEND_FAILED', `cannot create the UDP socket: errno ${libc.errno()}`);
  const scratch = allocNative(SOCKADDR_IN_BYTES + 8);
  try {
    if (bufferBytes > 0) {
      scratch.view.setInt32(SOCKADDR_IN_BYTES, bufferBytes, true);
      const value = scratch.address + SOCKADDR_IN_BYTES;
      // The FORCE variants pass net.core.[rw]mem_max (root); the plain ones are capped by it.
      if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) < 0) libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
      if (libc.setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, value, 4) < 0) libc.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, value, 4);
    }
    writeSockaddrIn(scratch.view, 0, ipv4ToNumber(address), port);
    if (libc.bind(fd, scratch.address, SOCKADDR_IN_BYTES) < 0) {
      const errno = libc.errno();
      libc.close(fd);
      throw new FlannelError('BACKEND_FAILED', `cannot bind the UDP socket to ${address}:${port}: errno ${errno}`);
    }
    scratch.view.setInt32(SOCKADDR_IN_BYTES, 4, true);
    const got = libc.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, scratch.address, scratch.address + SOCKADDR_IN_BYTES);
    const receiveBufferBytes = got === 0 ? scratch.view.getInt32(0, true) : undefined;
    scratch.view.setInt32(SOCKADDR_IN_BYTES, 4, true);
    const gso = offload && libc.getsockopt(fd, SOL_UDP, UDP_SEGMENT, scratch.address, scratch.address + SOCKADDR_IN_BYTES) === 0;
    scratch.view.setInt32(0, 1, true);
    const gro = offload && libc.setsockopt(fd, SOL_UDP, UDP_GRO, scratch.address, 4) === 0;
    let open = true;
    const handle: UdpSocketHandle = {
      fd,
      ...(receiveBufferBytes === undefined ? {} : { receiveBufferBytes }),
      gso,
      gro,
      close() {
        if (!open) return;
        open = false;
        libc.close(fd);
      },
    };
    return handle;
  } finally {
    freeNative(scratch);
  }
};
