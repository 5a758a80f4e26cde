// Reads event sockets on one dedicated worker thread per `Netlink`, so idle subscriptions hold no libuv pool
// thread (the pool, 4 threads by default, is shared with fs, dns and zlib).
import { createRequire } from 'node:module';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { NetlinkError } from '../errors.js';
import { EFD_CLOEXEC, EFD_NONBLOCK, libc } from './libc.js';
import { EVENT_READER_WORKER_SOURCE } from './event-reader-worker.js';

/** What the reader hands a registered socket: one datagram, or the failure that ended its reading. */
export type ReaderDelivery = { readonly bytes: Uint8Array } | { readonly error: NetlinkError };

interface WorkerItem {
  readonly id: number;
  readonly bytes?: Uint8Array;
  readonly errno?: number;
  readonly truncated?: number;
  readonly removed?: boolean;
}

/** Largest datagram read; the kernel's notifications are far smaller. */
const DATAGRAM_BYTES = 256 * 1024;
/** Longest blocking `poll` of the worker: bounds how long terminating it (at process exit) can take. */
const POLL_SLICE_MS = 1000;

/**
 * Polls event sockets on a worker thread and delivers their datagrams on the main thread. The worker starts with
 * the first socket and stops (its thread ends) when the last one is removed; it keeps the process alive only while
 * sockets are registered. Sockets stay owned by the caller: {@link remove} resolves once the worker no longer
 * touches the fd, so closing it afterwards is safe.
 */
export class EventReader {
  private current: Running | undefined;
  private nextId = 1;
  private readonly receivers = new Map<number, (delivery: ReaderDelivery) => void>();

  /** Starts reading `fd` (an open, bound, non-blocking netlink socket); returns its registration id. */
  add(fd: number, receive: (delivery: ReaderDelivery) => void): number {
    const running = (this.current ??= this.start());
    const id = this.nextId++;
    this.receivers.set(id, receive);
    post(running, { type: 'add', id, fd });
    return id;
  }

  /** Stops reading registration `id`; resolves when the worker has let go of its fd. */
  remove(id: number): Promise<void> {
    const running = this.current;
    if (!this.receivers.delete(id) || !running) return Promise.resolve();
    const done = new Promise<void>((resolve) => running.removals.set(id, resolve));
    post(running, { type: 'remove', id });
    if (this.receivers.size === 0) this.stop();
    return done;
  }

  /** Stops the worker (every registration ends without further deliveries). */
  close(): void {
    this.receivers.clear();
    this.stop();
  }

  private start(): Running {
    const c = libc();
    const wakeFd = c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd < 0) throw new NetlinkError({ operation: 'subscribe', errno: c.errno(), message: `subscribe: eventfd failed (errno ${c.errno()})` });
    const channel = new MessageChannel();
    const worker = new Worker(EVENT_READER_WORKER_SOURCE, {
      eval: true,
      workerData: {
        koffi: createRequire(import.meta.url).resolve('koffi'),
        control: channel.port2,
        wakeFd,
        bufferBytes: DATAGRAM_BYTES,
        sliceMs: POLL_SLICE_MS,
      },
      transferList: [channel.port2],
    });
    const running: Running = { worker, control: channel.port1, wakeFd, removals: new Map() };
    worker.on('message', (items: WorkerItem[]) => this.deliver(running, items));
    worker.on('error', (error) => this.crashed(running, error));
    worker.on('exit', () => {
      c.close(wakeFd);
      // Removals the worker never confirmed: it is gone, so it no longer touches their fds either.
      for (const resolve of running.removals.values()) resolve();
      running.removals.clear();
      if (this.current === running) this.current = undefined;
    });
    return running;
  }

  private stop(): void {
    const running = this.current;
    if (!running) return;
    this.current = undefined;
    post(running, { type: 'stop' });
    running.worker.unref();
  }

  private deliver(running: Running, items: readonly WorkerItem[]): void {
    for (const item of items) {
      if (item.removed) {
        running.removals.get(item.id)?.();
        running.removals.delete(item.id);
        continue;
      }
      const receive = this.receivers.get(item.id);
      if (!receive) continue; // removed meanwhile
      if (item.bytes) receive({ bytes: item.bytes });
      else if (item.truncated !== undefined) {
        receive({ error: new NetlinkError({ operation: 'subscribe', errno: 90, code: 'NETLINK_PROTOCOL_ERROR', message: `subscribe: notification of ${item.truncated} bytes exceeds the ${DATAGRAM_BYTES}-byte receive buffer` }) });
      } else {
        const errno = item.errno ?? 5;
        const text = errno === 105 ? 'the kernel dropped notifications (ENOBUFS): the socket buffer overflowed' : `recv failed (errno ${errno})`;
        receive({ error: new NetlinkError({ operation: 'subscribe', errno, message: `subscribe: ${text}; re-read the state and subscribe again` }) });
      }
    }
  }

  private crashed(running: Running, cause: Error): void {
    if (this.current !== running) return;
    this.current = undefined;
    const error = new NetlinkError({ operation: 'subscribe', errno: 5, message: `subscribe: the event reader thread failed: ${cause.message}`, cause });
    const receivers = [...this.receivers.values()];
    this.receivers.clear();
    for (const receive of receivers) receive({ error });
  }
}

/** One started worker and what belongs to it. */
interface Running {
  readonly worker: Worker;
  readonly control: MessagePort;
  readonly wakeFd: number;
  /** Pending {@link EventReader.remove}s, resolved when the worker confirms (or exits). */
  readonly removals: Map<number, () => void>;
}

const WAKE = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);

function post(running: Running, message: { type: 'add'; id: number; fd: number } | { type: 'remove'; id: number } | { type: 'stop' }): void {
  running.control.postMessage(message);
  libc().write(running.wakeFd, WAKE, 8); // wakes the worker's poll so it reads the control message
}
