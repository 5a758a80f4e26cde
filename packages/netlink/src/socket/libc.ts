// The few libc calls the transport needs, bound through koffi. Loaded lazily on first use so importing the package
// (e.g. for the codec or the fake) never loads native code. The binding is a stateless table of functions, so
// caching it per process is safe.
import koffi from 'koffi';
import { loadLibc } from './load-libc.js';

/** Bound libc functions. Pointers are passed as `Uint8Array`s; every call returns -1 and sets errno on failure. */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, address: Uint8Array, length: number): number;
  getsockname(fd: number, address: Uint8Array, length: Uint8Array): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array, length: number): number;
  getsockopt(fd: number, level: number, name: number, value: Uint8Array, length: Uint8Array): number;
  sendto(fd: number, buffer: Uint8Array, length: number, flags: number, address: Uint8Array | null, addressLength: number): number;
  recv(fd: number, buffer: Uint8Array, length: number, flags: number): number;
  close(fd: number): number;
  setns(fd: number, nstype: number): number;
  /** `eventfd(2)`: a counter file descriptor, used to wake a thread blocked in `poll`. */
  eventfd(initial: number, flags: number): number;
  write(fd: number, buffer: Uint8Array, length: number): number;
  read(fd: number, buffer: Uint8Array, length: number): number;
  /** `poll(2)`, asynchronous: runs on a libuv worker thread, never on the event loop. */
  pollAsync(pollfds: Uint8Array, count: number, timeoutMs: number): Promise<number>;
  /** The calling thread's errno after the last failed call. */
  errno(): number;
}

/** `SOCK_RAW` */
export const SOCK_RAW = 3;
/** `SOCK_NONBLOCK` */
export const SOCK_NONBLOCK = 0x800;
/** `SOCK_CLOEXEC` */
export const SOCK_CLOEXEC = 0x80000;
/** `MSG_DONTWAIT` */
export const MSG_DONTWAIT = 0x40;
/** `MSG_TRUNC`: return the real length of a datagram longer than the buffer. */
export const MSG_TRUNC = 0x20;
/** `CLONE_NEWNET`: the `nstype` of `setns` for network namespaces. */
export const CLONE_NEWNET = 0x40000000;
/** `EFD_CLOEXEC` */
export const EFD_CLOEXEC = 0x80000;
/** `EFD_NONBLOCK` */
export const EFD_NONBLOCK = 0x800;
/** `POLLIN` */
export const POLLIN = 0x1;
/** errno values the transport reacts to. */
export const EAGAIN = 11;
export const EINTR = 4;
export const ENOBUFS = 105;

let cached: Libc | undefined;

/** The libc binding (loaded on first call). */
export function libc(): Libc {
  if (cached) return cached;
  const lib = loadLibc((name) => koffi.load(name));
  const poll = lib.func('int poll(void *fds, uint64_t nfds, int timeout)');
  cached = {
    socket: lib.func('int socket(int, int, int)'),
    bind: lib.func('int bind(int, const void *, uint32_t)'),
    getsockname: lib.func('int getsockname(int, _Out_ void *, _Inout_ void *)'),
    setsockopt: lib.func('int setsockopt(int, int, int, const void *, uint32_t)'),
    getsockopt: lib.func('int getsockopt(int, int, int, void *, void *)'),
    sendto: lib.func('intptr_t sendto(int, const void *, uintptr_t, int, const void *, uint32_t)'),
    recv: lib.func('intptr_t recv(int, void *, uintptr_t, int)'),
    close: lib.func('int close(int)'),
    setns: lib.func('int setns(int, int)'),
    eventfd: lib.func('int eventfd(unsigned int, int)'),
    write: lib.func('intptr_t write(int, const void *, uintptr_t)'),
    read: lib.func('intptr_t read(int, void *, uintptr_t)'),
    pollAsync: (pollfds, count, timeoutMs) =>
      new Promise((resolve, reject) => {
        poll.async(pollfds, count, timeoutMs, (error: unknown, result: number) => (error ? reject(error) : resolve(result)));
      }),
    errno: () => koffi.errno(),
  };
  return cached;
}
