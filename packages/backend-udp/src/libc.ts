// The libc calls of the udp data path, bound through koffi: opening the TUN and the socket (main thread)
// and the forwarder loop (worker thread). Pointers are passed as plain addresses (`uintptr_t`) into memory
// from `koffi.alloc`, so the loop can point at any slot of its packet buffers without copying. Bound lazily
// per thread: importing the package never loads native code.
import koffi from 'koffi';

/** libc functions, each returning -1 and setting errno on failure. Addresses are numbers. */
export interface UdpLibc {
  open(path: string, flags: number): number;
  ioctl(fd: number, request: number, argument: number): number;
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: number, length: number): number;
  setsockopt(fd: number, level: number, name: number, value: number, length: number): number;
  getsockopt(fd: number, level: number, name: number, value: number, length: number): number;
  close(fd: number): number;
  eventfd(initial: number, flags: number): number;
  poll(pollfds: number, count: number, timeoutMs: number): number;
  read(fd: number, buffer: number, length: number): number;
  write(fd: number, buffer: number, length: number): number;
  recv(fd: number, buffer: number, length: number, flags: number): number;
  sendto(fd: number, buffer: number, length: number, flags: number, address: number, addressLength: number): number;
  recvmmsg(fd: number, messages: number, count: number, flags: number, timeout: number): number;
  sendmmsg(fd: number, messages: number, count: number, flags: number): number;
  errno(): number;
}

/** Memory from `koffi.alloc`, seen from JavaScript as `bytes` and from C at `address`. Freed with {@link freeNative}. */
export interface NativeMemory {
  readonly address: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly handle: unknown;
}

/** Allocates `length` zeroed bytes of native memory. */
export function allocNative(length: number): NativeMemory {
  const handle = koffi.alloc('uint8_t', length);
  const buffer = koffi.view(handle, length);
  const bytes = new Uint8Array(buffer);
  bytes.fill(0);
  return { handle, address: Number(koffi.address(handle)), bytes, view: new DataView(buffer) };
}

/** Frees memory from {@link allocNative}. */
export function freeNative(memory: NativeMemory): void {
  koffi.free(memory.handle);
}

/** `O_RDWR` */
export const O_RDWR = 0x2;
/** `O_NONBLOCK` */
export const O_NONBLOCK = 0x800;
/** `O_CLOEXEC` */
export const O_CLOEXEC = 0x80000;
/** `TUNSETIFF` = `_IOW('T', 202, int)` */
export const TUNSETIFF = 0x400454ca;
/** `IFF_TUN` */
export const IFF_TUN = 0x0001;
/** `IFF_NO_PI`: no 4-byte packet-information prefix, the raw IP packet only. */
export const IFF_NO_PI = 0x1000;
/** `IFF_VNET_HDR`: a `struct virtio_net_hdr` before every packet, for offloads. */
export const IFF_VNET_HDR = 0x4000;
/** `TUNSETOFFLOAD` = `_IOW('T', 208, unsigned int)` */
export const TUNSETOFFLOAD = 0x400454d0;
/** `TUN_F_CSUM`: packets may carry a partial checksum. */
export const TUN_F_CSUM = 0x01;
/** `TUN_F_TSO4`: TCP/IPv4 super-packets may be handed over. */
export const TUN_F_TSO4 = 0x02;
/** `IFNAMSIZ` */
export const IFNAMSIZ = 16;
/** `AF_INET` */
export const AF_INET = 2;
/** `SOCK_DGRAM` */
export const SOCK_DGRAM = 2;
/** `SOCK_NONBLOCK` */
export const SOCK_NONBLOCK = 0x800;
/** `SOCK_CLOEXEC` */
export const SOCK_CLOEXEC = 0x80000;
/** `SOL_SOCKET` */
export const SOL_SOCKET = 1;
/** `SO_SNDBUF` */
export const SO_SNDBUF = 7;
/** `SO_RCVBUF` */
export const SO_RCVBUF = 8;
/** `SO_SNDBUFFORCE`: past `net.core.wmem_max`, needs CAP_NET_ADMIN. */
export const SO_SNDBUFFORCE = 32;
/** `SO_RCVBUFFORCE`: past `net.core.rmem_max`, needs CAP_NET_ADMIN. */
export const SO_RCVBUFFORCE = 33;
/** `EFD_CLOEXEC` */
export const EFD_CLOEXEC = 0x80000;
/** `EFD_NONBLOCK` */
export const EFD_NONBLOCK = 0x800;
/** `POLLIN` */
export const POLLIN = 0x1;
/** `MSG_DONTWAIT` */
export const MSG_DONTWAIT = 0x40;
/** `MSG_TRUNC` */
export const MSG_TRUNC = 0x20;
/** `SOL_UDP` (= `IPPROTO_UDP`): the level of UDP's socket options and control messages. */
export const SOL_UDP = 17;
/** `UDP_SEGMENT`: the datagram size a send is cut into by the kernel (UDP GSO, Linux 4.18). */
export const UDP_SEGMENT = 103;
/** `UDP_GRO`: received datagrams of one flow may be handed over joined, their size in a control message (Linux 5.0). */
export const UDP_GRO = 104;
/** `sizeof(struct cmsghdr)` on 64-bit Linux (`cmsg_len` is a `size_t`). */
export const CMSGHDR_BYTES = 16;
/** `EAGAIN` */
export const EAGAIN = 11;
/** `EIO`: among others, a UDP GSO send through a device that cannot offload checksums. */
export const EIO = 5;
/** `EINVAL` */
export const EINVAL = 22;
/** `EMSGSIZE` */
export const EMSGSIZE = 90;
/** `ENOBUFS` */
export const ENOBUFS = 105;
/** `EINTR` */
export const EINTR = 4;
/** `sizeof(struct sockaddr_in)` */
export const SOCKADDR_IN_BYTES = 16;
/** `sizeof(struct mmsghdr)` on 64-bit Linux (`struct msghdr` is 56 bytes, then `msg_len` and padding). */
export const MMSGHDR_BYTES = 64;
/** `sizeof(struct iovec)` on 64-bit Linux. */
export const IOVEC_BYTES = 16;

/**
 * The libc binding of this thread (loaded on first call; a stateless table of functions, safe to keep per
 * thread).
 */
export const udpLibc: () => UdpLibc = (() => {
  let cached: UdpLibc | undefined;
  return () => {
    if (cached) return cached;
    const lib = koffi.load('libc.so.6');
    cached = {
      open: lib.func('int open(const char *, int)'),
      ioctl: lib.func('int ioctl(int, unsigned long, uintptr_t)'),
      socket: lib.func('int socket(int, int, int)'),
      bind: lib.func('int bind(int, uintptr_t, uint32_t)'),
      setsockopt: lib.func('int setsockopt(int, int, int, uintptr_t, uint32_t)'),
      getsockopt: lib.func('int getsockopt(int, int, int, uintptr_t, uintptr_t)'),
      close: lib.func('int close(int)'),
      eventfd: lib.func('int eventfd(unsigned int, int)'),
      poll: lib.func('int poll(uintptr_t, uint64_t, int)'),
      read: lib.func('intptr_t read(int, uintptr_t, uintptr_t)'),
      write: lib.func('intptr_t write(int, uintptr_t, uintptr_t)'),
      recv: lib.func('intptr_t recv(int, uintptr_t, uintptr_t, int)'),
      sendto: lib.func('intptr_t sendto(int, uintptr_t, uintptr_t, int, uintptr_t, uint32_t)'),
      recvmmsg: lib.func('int recvmmsg(int, uintptr_t, unsigned int, int, uintptr_t)'),
      sendmmsg: lib.func('int sendmmsg(int, uintptr_t, unsigned int, int)'),
      errno: () => koffi.errno(),
    };
    return cached;
  };
})();

/** Writes a `struct sockaddr_in` (`AF_INET`, port and address in network order) at `offset`. */
export function writeSockaddrIn(view: DataView, offset: number, address: number, port: number): void {
  view.setUint16(offset, AF_INET, true);
  view.setUint16(offset + 2, port);
  view.setUint32(offset + 4, address >>> 0);
  view.setUint32(offset + 8, 0);
  view.setUint32(offset + 12, 0);
}
