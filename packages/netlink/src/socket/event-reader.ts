// Reads the event sockets of one `Netlink` on the main thread, with at most ONE outstanding asynchronous `poll`
// (a libuv pool thread) over all of them, however many subscriptions there are.
import { NetlinkError } from '../errors.js';
import { EAGAIN, EFD_CLOEXEC, EFD_NONBLOCK, EINTR, MSG_DONTWAIT, MSG_TRUNC, POLLIN, libc } from './libc.js';

/** What the reader hands a registered socket: one datagram, or the failure that ended its reading. */
export type ReaderDelivery = { readonly bytes: Uint8Array } | { readonly error: NetlinkError };

/** Largest datagram read; the kernel's notifications are far smaller. */
const DATAGRAM_BYTES = 256 * 1024;
/** Longest single `poll`: bounds how long the pool thread stays blocked when the process exits without closing. */
const POLL_SLICE_MS = 1000;
/** Datagrams read from one socket before the next socket (and the event loop) get their turn. */
const READS_PER_ROUND = 256;

const ENOBUFS = 105;

interface Registration {
  readonly fd: number;
  readonly receive: (delivery: ReaderDelivery) => void;
  /** Set once `recv` failed for good: reported, no longer polled, waiting for {@link EventReader.remove}. */
  failed: boolean;
}

/**
 * Polls event sockets and delivers their datagrams, all on the main thread except for one blocking `poll(2)` at a
 * time, run through koffi's asynchronous calls on a libuv pool thread over every registered socket plus an
 * `eventfd` that wakes it when the set changes. So the event loop never blocks, and however many subscriptions a
 * `Netlink` has, they hold one pool thread between them (the pool, 4 threads by default, is shared with fs, dns and
 * zlib) — and no second V8 isolate. Ready sockets are drained with non-blocking `recv` when the `poll` returns.
 *
 * Reading starts with the first socket and stops when the last one is removed; it keeps the process alive only
 * while sockets are registered. Sockets stay owned by the caller: {@link remove} resolves once no `poll` touches the
 * fd any more, so closing it afterwards is safe.
 */
export class EventReader {
  private nextId = 1;
  private readonly registrations = new Map<number, Registration>();
  /** Removals waiting for the in-flight `poll` (which may still hold their fds) to return. */
  private readonly removals: (() => void)[] = [];
  private wakeFd = -1;
  /** `polling`: a `poll` is in flight (it may hold any registered fd); `dispatching`: delivering its results. */
  private state: 'idle' | 'polling' | 'dispatching' = 'idle';
  private readonly buffer = new Uint8Array(DATAGRAM_BYTES);
  private readonly counter = new Uint8Array(8);

  /** Starts reading `fd` (an open, bound, non-blocking netlink socket); returns its registration id. */
  add(fd: number, receive: (delivery: ReaderDelivery) => void): number {
    if (this.wakeFd < 0) {
      const c = libc();
      const wakeFd = c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (wakeFd < 0) throw new NetlinkError({ operation: 'subscribe', errno: c.errno(), message: `subscribe: eventfd failed (errno ${c.errno()})` });
      this.wakeFd = wakeFd;
    }
    const id = this.nextId++;
    this.registrations.set(id, { fd, receive, failed: false });
    if (this.state === 'polling') this.wake();
    else if (this.state === 'idle') this.poll(); // when dispatching, the re-armed poll includes it
    return id;
  }

  /** Stops reading registration `id`; resolves when no `poll` touches its fd any more. */
  remove(id: number): Promise<void> {
    if (!this.registrations.delete(id)) return Promise.resolve();
    if (this.state !== 'polling') {
      this.finishIfIdle();
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => this.removals.push(resolve));
    this.wake();
    return done;
  }

  /** Stops reading (every registration ends without further deliveries). */
  close(): void {
    this.registrations.clear();
    if (this.state === 'polling') this.wake();
    else this.finishIfIdle();
  }

  /** Runs one asynchronous `poll` over the wake fd and every live socket; {@link afterPoll} re-arms it. */
  private poll(): void {
    const live = [...this.registrations].filter(([, registration]) => !registration.failed);
    const pollfds = new Uint8Array(8 * (live.length + 1));
    const view = new DataView(pollfds.buffer);
    view.setInt32(0, this.wakeFd, true);
    view.setInt16(4, POLLIN, true);
    live.forEach(([, registration], i) => {
      view.setInt32(8 * (i + 1), registration.fd, true);
      view.setInt16(8 * (i + 1) + 4, POLLIN, true);
    });
    this.state = 'polling';
    libc()
      .pollAsync(pollfds, live.length + 1, POLL_SLICE_MS)
      .then(
        (ready) => this.afterPoll(ready, live.map(([id]) => id), view),
        (error: unknown) => this.crashed(error instanceof Error ? error : new Error(String(error))),
      );
  }

  private afterPoll(ready: number, ids: readonly number[], view: DataView): void {
    this.state = 'dispatching';
    // The poll has returned: no thread touches the removed sockets' fds any more.
    for (const resolve of this.removals.splice(0)) resolve();
    if (ready > 0) {
      if (view.getInt16(6, true) !== 0) libc().read(this.wakeFd, this.counter, 8);
      ids.forEach((id, i) => {
        if (view.getInt16(8 * (i + 1) + 6, true) !== 0) this.drain(id);
      });
    }
    this.state = 'idle';
    if (this.registrations.size > 0) this.poll();
    else this.finishIfIdle();
  }

  /** Reads what `id`'s socket holds (non-blocking), up to {@link READS_PER_ROUND} datagrams. */
  private drain(id: number): void {
    const c = libc();
    for (let n = 0; n < READS_PER_ROUND; n++) {
      const registration = this.registrations.get(id);
      if (!registration) return; // removed by a receiver meanwhile
      const length = Number(c.recv(registration.fd, this.buffer, this.buffer.byteLength, MSG_DONTWAIT | MSG_TRUNC));
      if (length < 0) {
        const errno = c.errno();
        if (errno === EAGAIN) return;
        if (errno === EINTR) continue;
        registration.failed = true;
        const text = errno === ENOBUFS ? 'the kernel dropped notifications (ENOBUFS): the socket buffer overflowed' : `recv failed (errno ${errno})`;
        registration.receive({ error: new NetlinkError({ operation: 'subscribe', errno, message: `subscribe: ${text}; re-read the state and subscribe again` }) });
        return;
      }
      if (length > this.buffer.byteLength) {
        registration.receive({ error: new NetlinkError({ operation: 'subscribe', errno: 90, code: 'NETLINK_PROTOCOL_ERROR', message: `subscribe: notification of ${length} bytes exceeds the ${DATAGRAM_BYTES}-byte receive buffer` }) });
        continue;
      }
      registration.receive({ bytes: this.buffer.slice(0, length) });
    }
  }

  /** Closes the wake fd once nothing is registered and no `poll` is in flight. */
  private finishIfIdle(): void {
    if (this.state !== 'idle' || this.registrations.size > 0 || this.wakeFd < 0) return;
    libc().close(this.wakeFd);
    this.wakeFd = -1;
  }

  private wake(): void {
    libc().write(this.wakeFd, WAKE, 8);
  }

  private crashed(cause: Error): void {
    this.state = 'idle';
    for (const resolve of this.removals.splice(0)) resolve();
    const error = new NetlinkError({ operation: 'subscribe', errno: 5, message: `subscribe: polling the event sockets failed: ${cause.message}`, cause });
    const registrations = [...this.registrations.values()];
    this.registrations.clear();
    for (const registration of registrations) registration.receive({ error });
    this.finishIfIdle();
  }
}

const WAKE = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);
