// systemd's readiness protocol (sd_notify(3)): when a service runs with `Type=notify`, systemd sets
// NOTIFY_SOCKET to an AF_UNIX datagram socket and waits for a "READY=1" datagram. flanneld sends it once the
// backend runs (`main.go`). Node has no unix datagram sockets, so this binds the four libc calls it
// needs through koffi, loaded only when NOTIFY_SOCKET is set: a daemon outside systemd never loads it.
// Notifying is best effort, as in flanneld: any failure is a debug line, never an error.
import { constants } from 'node:os';
import type { Logger } from '@flannel-ts/core';

/** `AF_UNIX` */
const AF_UNIX = 1;
/** `SOCK_DGRAM` */
const SOCK_DGRAM = 2;
/** `SOCK_CLOEXEC` */
const SOCK_CLOEXEC = 0x80000;
/** `MSG_DONTWAIT`: never block the event loop, even if systemd's queue is full. */
const MSG_DONTWAIT = 0x40;
/** `MSG_NOSIGNAL` */
const MSG_NOSIGNAL = 0x4000;
/** `sizeof(sockaddr_un.sun_path)` on Linux. */
const SUN_PATH_BYTES = 108;
/** `offsetof(struct sockaddr_un, sun_path)`: after the u16 `sun_family`. */
const SUN_PATH_OFFSET = 2;

/**
 * The `struct sockaddr_un` for a `NOTIFY_SOCKET` value and the address length to pass to `sendto`:
 * `sun_family` = `AF_UNIX` (u16, host order), then `sun_path`. A value starting with `@` names a socket in
 * the abstract namespace: `sun_path` starts with a NUL byte and the length covers the name exactly. A path
 * is NUL-terminated. Throws `RangeError` for anything else (relative paths, `vsock:` addresses) or a name
 * that does not fit `sun_path`.
 *
 * @example
 * ```ts
 * const { address, length } = notifySocketAddress('@/org/freedesktop/systemd1/notify');
 * address[2]; // 0 (abstract namespace)
 * ```
 */
export function notifySocketAddress(value: string): { address: Uint8Array; length: number } {
  const abstract = value.startsWith('@');
  if (!abstract && !value.startsWith('/')) {
    throw new RangeError(`NOTIFY_SOCKET ${JSON.stringify(value)} is not supported: must be an absolute path or @abstract-name`);
  }
  const name = new TextEncoder().encode(abstract ? value.slice(1) : value);
  // Abstract: NUL + name (no terminator). Path: name + NUL terminator.
  const pathBytes = name.length + 1;
  if (pathBytes > SUN_PATH_BYTES) {
    throw new RangeError(`NOTIFY_SOCKET ${JSON.stringify(value)} is invalid: must fit in ${SUN_PATH_BYTES - 1} bytes`);
  }
  const address = new Uint8Array(SUN_PATH_OFFSET + SUN_PATH_BYTES);
  new DataView(address.buffer).setUint16(0, AF_UNIX, true);
  address.set(name, SUN_PATH_OFFSET + (abstract ? 1 : 0));
  return { address, length: SUN_PATH_OFFSET + pathBytes };
}

interface UnixDatagramCalls {
  socket(domain: number, type: number, protocol: number): number;
  sendto(fd: number, buffer: Uint8Array, length: number, flags: number, address: Uint8Array, addressLength: number): number;
  close(fd: number): number;
  errno(): number;
}

let calls: UnixDatagramCalls | undefined;

/** `ENOENT (2)` for errno 2. */
const errnoName = (errno: number): string =>
  `${Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? 'errno'} (${errno})`;

async function unixDatagramCalls(): Promise<UnixDatagramCalls> {
  if (calls) return calls;
  // koffi is CommonJS: its exports are the namespace's `default`, which its typings do not declare.
  const koffi = ((await import('koffi')) as unknown as { default: typeof import('koffi') }).default;
  const { loadLibc } = await import('@flannel-ts/netlink');
  const lib = loadLibc((name) => koffi.load(name));
  calls = {
    socket: lib.func('int socket(int, int, int)'),
    sendto: lib.func('intptr_t sendto(int, const void *, uintptr_t, int, const void *, uint32_t)'),
    close: lib.func('int close(int)'),
    errno: () => koffi.errno(),
  };
  return calls;
}

/** Options of {@link sdNotify}. */
export interface SdNotifyOptions {
  /** Where `NOTIFY_SOCKET` is read; the daemon passes `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Failures are logged here at debug level. */
  readonly logger?: Logger;
}

/**
 * Sends `state` (e.g. `READY=1`) to systemd's `NOTIFY_SOCKET`, as `sd_notify(0, state)`. Resolves `true`
 * when the datagram was sent, `false` when `NOTIFY_SOCKET` is unset or empty (not run by systemd) or
 * sending failed (logged at debug). Never rejects.
 *
 * @example
 * ```ts
 * await sdNotify('READY=1', { env: process.env, logger });
 * ```
 */
export async function sdNotify(state: string, options: SdNotifyOptions): Promise<boolean> {
  const target = options.env.NOTIFY_SOCKET;
  if (target === undefined || target === '') return false;
  try {
    const { address, length } = notifySocketAddress(target);
    const libc = await unixDatagramCalls();
    const fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw new Error(`socket(AF_UNIX, SOCK_DGRAM) failed: ${errnoName(libc.errno())}`);
    try {
      const payload = new TextEncoder().encode(state);
      const sent = libc.sendto(fd, payload, payload.length, MSG_DONTWAIT | MSG_NOSIGNAL, address, length);
      if (sent < 0) throw new Error(`sendto ${target} failed: ${errnoName(libc.errno())}`);
    } finally {
      libc.close(fd);
    }
    return true;
  } catch (error) {
    options.logger?.debug({ err: error }, `sd_notify ${state} not sent: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
