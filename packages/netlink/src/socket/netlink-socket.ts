import { decodeErrorMessage, type ErrorMessage, type Message } from '../codec/message.js';
import * as N from '../codec/constants-netlink.js';
import { NetlinkError } from '../errors.js';
import type { NetnsRef } from '../types.js';
import { EAGAIN, EINTR, MSG_DONTWAIT, MSG_TRUNC, POLLIN, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_RAW, libc } from './libc.js';
import { inNetns } from './netns.js';

/** Options of {@link NetlinkSocket.open}. */
export interface NetlinkSocketOptions {
  /**
   * The netlink protocol (`NETLINK_ROUTE` 0 by default; `NETLINK_GENERIC` 16 for wireguard and other generic
   * families, `NETLINK_XFRM` 6 for IPsec). Framing, sequence matching and ACKs are the same for all of them.
   */
  readonly protocol?: number;
  /** Namespace the socket lives in (default: this thread's). */
  readonly netns?: NetnsRef;
  /** `RTNLGRP_*` numbers to join (event sockets). */
  readonly groups?: readonly number[];
  /** `SO_RCVBUFFORCE` (falls back to `SO_RCVBUF`); default 8 MiB so large batches and dumps never overflow. */
  readonly receiveBufferBytes?: number;
  /** `SO_SNDBUFFORCE` (falls back to `SO_SNDBUF`); bounds one `sendto`. Default 4 MiB. */
  readonly sendBufferBytes?: number;
  /**
   * Waiting requests fail with `ETIMEDOUT` when nothing at all arrives for this long (a lost or garbled reply must
   * not hang the caller). Default 30 s.
   */
  readonly replyTimeoutMs?: number;
}

/**
 * Receives the messages addressed to one sequence number; each method returns true when it expects no more.
 * `onAck`, when present, takes a successful `NLMSG_ERROR` (error 0) without any object being decoded — the fast
 * path that keeps large batches cheap. Messages passed to `onMessage` own their bytes (copied out of the buffer).
 */
export interface ReplyHandler {
  onMessage(message: Message): boolean;
  /** `seq` is the acknowledged request's (what tells the requests of a block apart). */
  onAck?(seq: number): boolean;
  onError(error: Error): void;
}

/** Requests sent with consecutive sequence numbers `first … first + count − 1`, all answered to one handler. */
interface SequenceBlock {
  readonly first: number;
  readonly count: number;
  readonly handler: ReplyHandler;
}

const RECEIVE_BUFFER = 256 * 1024;
/** How long one asynchronous `poll` may wait before the pump re-checks for close. */
const POLL_SLICE_MS = 200;

function int32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value, true);
  return bytes;
}

/**
 * A non-blocking `AF_NETLINK` socket (koffi FFI), `NETLINK_ROUTE` unless another protocol is asked for. Requests are matched to replies by sequence
 * number; one read pump drains the socket with non-blocking `recv` and, when it is empty, waits in an
 * asynchronous `poll` on a libuv worker thread — the event loop never blocks. `NETLINK_EXT_ACK` and
 * `NETLINK_CAP_ACK` are on: errors carry the kernel's text, ACKs stay 36 bytes.
 */
export class NetlinkSocket {
  /** The socket's file descriptor. */
  readonly fd: number;
  private sequence = Math.floor(Math.random() * 0x7fff_0000) + 1;
  private readonly handlers = new Map<number, ReplyHandler>();
  /** Receivers of whole blocks of sequence numbers (batch windows): no map entry per request. */
  private readonly blocks: SequenceBlock[] = [];
  private readonly buffer = new Uint8Array(RECEIVE_BUFFER);
  private readonly bufferView = new DataView(this.buffer.buffer);
  private readonly pollfd = new Uint8Array(8);
  private pumping: Promise<void> | undefined;
  private closed = false;
  private dumpQueue: Promise<void> = Promise.resolve();
  /** Receives every message when this is an event socket (one joined to multicast groups). */
  onNotification: ((message: Message) => void) | undefined;
  /** Called once when reading fails for good (e.g. `ENOBUFS` on an event socket). */
  onFailure: ((error: Error) => void) | undefined;

  private readonly replyTimeoutMs: number;
  /** The receive buffer the kernel actually granted (`SO_RCVBUF` as read back), in bytes. */
  receiveBufferBytes = 0;
  private lastActivity = Date.now();

  private constructor(fd: number, replyTimeoutMs: number) {
    this.fd = fd;
    this.replyTimeoutMs = replyTimeoutMs;
    const view = new DataView(this.pollfd.buffer);
    view.setInt32(0, fd, true);
    view.setInt16(4, POLLIN, true);
  }

  /** Opens and binds a socket, inside `options.netns` when given. */
  static open(options: NetlinkSocketOptions = {}): NetlinkSocket {
    const c = libc();
    const fd = inNetns(options.netns, () => c.socket(N.AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, options.protocol ?? N.NETLINK_ROUTE), 'open');
    if (fd < 0) throw new NetlinkError({ operation: 'open', errno: c.errno(), message: `socket(AF_NETLINK) failed (errno ${c.errno()})` });
    const socket = new NetlinkSocket(fd, options.replyTimeoutMs ?? 30_000);
    try {
      socket.setOption(N.SOL_NETLINK, N.NETLINK_EXT_ACK, 1, true);
      socket.setOption(N.SOL_NETLINK, N.NETLINK_CAP_ACK, 1, true);
      socket.setBuffer(N.SO_RCVBUFFORCE, N.SO_RCVBUF, options.receiveBufferBytes ?? 8 * 1024 * 1024);
      socket.setBuffer(N.SO_SNDBUFFORCE, N.SO_SNDBUF, options.sendBufferBytes ?? 4 * 1024 * 1024);
      socket.receiveBufferBytes = socket.readOption(N.SOL_SOCKET, N.SO_RCVBUF);
      const address = new Uint8Array(12);
      new DataView(address.buffer).setUint16(0, N.AF_NETLINK, true);
      if (c.bind(fd, address, 12) !== 0) throw new NetlinkError({ operation: 'open', errno: c.errno(), message: `bind(AF_NETLINK) failed (errno ${c.errno()})` });
      for (const group of options.groups ?? []) socket.setOption(N.SOL_NETLINK, N.NETLINK_ADD_MEMBERSHIP, group, false);
    } catch (error) {
      c.close(fd);
      throw error;
    }
    return socket;
  }

  private setOption(level: number, name: number, value: number, optional: boolean): void {
    const c = libc();
    if (c.setsockopt(this.fd, level, name, int32(value), 4) !== 0 && !optional) {
      throw new NetlinkError({ operation: 'open', errno: c.errno(), message: `setsockopt(${level}, ${name}) failed (errno ${c.errno()})` });
    }
  }

  private readOption(level: number, name: number): number {
    const value = new Uint8Array(4);
    const length = int32(4);
    return libc().getsockopt(this.fd, level, name, value, length) === 0 ? new DataView(value.buffer).getInt32(0, true) : 0;
  }

  private setBuffer(force: number, plain: number, bytes: number): void {
    const c = libc();
    if (c.setsockopt(this.fd, N.SOL_SOCKET, force, int32(bytes), 4) !== 0) c.setsockopt(this.fd, N.SOL_SOCKET, plain, int32(bytes), 4);
  }

  /**
   * Runs dumps one after another: the kernel allows one dump in progress per socket (a second gets `EBUSY`).
   * Other requests are not held up.
   */
  exclusiveDump<T>(run: () => Promise<T>): Promise<T> {
    const result = this.dumpQueue.then(run, run);
    this.dumpQueue = result.then(() => {}, () => {});
    return result;
  }

  /** A fresh sequence number (never 0, which the kernel uses for notifications). */
  nextSequence(): number {
    this.sequence = this.sequence >= 0xffff_fff0 ? 1 : this.sequence + 1;
    return this.sequence;
  }

  /** `count` consecutive fresh sequence numbers (none 0); returns the first. */
  nextSequences(count: number): number {
    if (this.sequence + count >= 0xffff_fff0) this.sequence = 0;
    const first = this.sequence + 1;
    this.sequence += count;
    return first;
  }

  /** Registers the receiver of replies to `seq` (before sending). */
  expect(seq: number, handler: ReplyHandler): void {
    if (!this.waiting()) this.lastActivity = Date.now();
    this.handlers.set(seq, handler);
  }

  /**
   * Registers one receiver for the replies to `first … first + count − 1` (from {@link nextSequences}), before
   * sending: its `onAck`/`onMessage` get every request's replies and return true once the whole block expects no
   * more; `onError` is called once for the block.
   */
  expectBlock(first: number, count: number, handler: ReplyHandler): void {
    if (!this.waiting()) this.lastActivity = Date.now();
    this.blocks.push({ first, count, handler });
  }

  /** Forgets the receiver of `seq`. */
  forget(seq: number): void {
    this.handlers.delete(seq);
  }

  /** Forgets a block registered with {@link expectBlock}. */
  forgetBlock(handler: ReplyHandler): void {
    const at = this.blocks.findIndex((block) => block.handler === handler);
    if (at >= 0) this.blocks.splice(at, 1);
  }

  /** True while any request waits for a reply. */
  private waiting(): boolean {
    return this.handlers.size > 0 || this.blocks.length > 0;
  }

  /** The block `seq` belongs to, if any (a handful at most are in flight). */
  private blockOf(seq: number): SequenceBlock | undefined {
    for (const block of this.blocks) if (((seq - block.first) >>> 0) < block.count) return block;
    return undefined;
  }

  /** Sends one buffer of back-to-back messages in one `sendto` to the kernel, then makes sure replies are read. */
  send(bytes: Uint8Array, operation: string): void {
    if (this.closed) throw new NetlinkError({ operation, errno: 9, code: 'NETLINK_CLOSED', message: `${operation}: the netlink socket is closed` });
    const c = libc();
    const kernel = new Uint8Array(12);
    new DataView(kernel.buffer).setUint16(0, N.AF_NETLINK, true);
    for (;;) {
      const sent = c.sendto(this.fd, bytes, bytes.byteLength, 0, kernel, 12);
      if (sent === bytes.byteLength) break;
      const errno = c.errno();
      if (sent < 0 && errno === EINTR) continue;
      throw new NetlinkError({ operation, errno: sent < 0 ? errno : 5, message: `${operation}: sendto of ${bytes.byteLength} bytes failed (errno ${sent < 0 ? errno : 'short write'})` });
    }
    this.startPump();
  }

  /** Starts reading (if not already) until no handler waits; event sockets read until closed. */
  startPump(): void {
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
      if (!this.closed && (this.waiting() || this.onNotification)) this.startPump();
    });
  }

  private async pump(): Promise<void> {
    const c = libc();
    while (!this.closed && (this.waiting() || this.onNotification)) {
      const length = c.recv(this.fd, this.buffer, this.buffer.byteLength, MSG_DONTWAIT | MSG_TRUNC);
      if (length < 0) {
        const errno = c.errno();
        if (errno === EAGAIN) {
          const ready = await c.pollAsync(this.pollfd, 1, Math.min(POLL_SLICE_MS, this.replyTimeoutMs));
          if (ready === 0 && this.waiting() && Date.now() - this.lastActivity >= this.replyTimeoutMs) {
            this.fail(new NetlinkError({ operation: 'receive', errno: 110, message: `no reply from the kernel for ${this.replyTimeoutMs} ms; ${this.handlers.size + this.blocks.length} request(s) or batch window(s) abandoned` }));
          }
          continue;
        }
        if (errno === EINTR) continue;
        this.fail(new NetlinkError({ operation: 'receive', errno, message: `recv on the netlink socket failed (errno ${errno}); replies or events were lost` }));
        if (this.onNotification) return;
        continue;
      }
      if (length > this.buffer.byteLength) {
        this.fail(new NetlinkError({ operation: 'receive', errno: 90, code: 'NETLINK_PROTOCOL_ERROR', message: `netlink datagram of ${length} bytes exceeds the ${this.buffer.byteLength}-byte receive buffer` }));
        continue;
      }
      this.lastActivity = Date.now();
      this.dispatch(this.buffer, length);
    }
  }

  /** Hands each message of the datagram in `bytes[0, length)` to its receiver. Exposed to tests as a fake kernel. */
  private dispatch(bytes: Uint8Array, length = bytes.byteLength): void {
    const view = bytes === this.buffer ? this.bufferView : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    // Messages handed out own their bytes: one copy of the datagram, made the first time one is needed.
    let owned: Uint8Array | undefined;
    while (at < length) {
      const size = length - at >= 16 ? view.getUint32(at, true) : 0;
      if (size < 16 || at + size > length) {
        const cause = new RangeError(`netlink message at offset ${at}: nlmsg_len ${size} does not fit the ${length}-byte datagram`);
        this.fail(new NetlinkError({ operation: 'receive', errno: 74, code: 'NETLINK_PROTOCOL_ERROR', message: `corrupt netlink reply: ${cause.message}`, cause }));
        return;
      }
      const seq = view.getUint32(at + 8, true);
      const type = view.getUint16(at + 4, true);
      // An event socket sends no requests: everything it reads is a notification, whose seq/pid are those of the
      // request that caused it (0 only for changes the kernel makes by itself).
      const block = this.onNotification ? undefined : this.blockOf(seq);
      const handler = this.onNotification ? undefined : block?.handler ?? this.handlers.get(seq);
      if (this.onNotification || handler) {
        let done: boolean;
        try {
          if (handler?.onAck && type === N.NLMSG_ERROR && size >= 20 && view.getInt32(at + 16, true) === 0) {
            done = handler.onAck(seq);
          } else {
            const message: Message = {
              header: { length: size, type, flags: view.getUint16(at + 6, true), seq, pid: view.getUint32(at + 12, true) },
              payload: (owned ??= bytes.slice(0, length)).subarray(at + 16, at + size),
            };
            if (this.onNotification) {
              this.onNotification(message);
              done = false;
            } else {
              done = handler!.onMessage(message);
            }
          }
        } catch (error) {
          handler?.onError(error instanceof Error ? error : new Error(String(error)));
          done = true;
        }
        if (done && block) this.blocks.splice(this.blocks.indexOf(block), 1);
        else if (done && handler) this.handlers.delete(seq);
      } // else: a stale reply of a forgotten request
      at += (size + 3) & ~3;
    }
  }

  /** Fails every waiting request (and the event consumer) with `error`. */
  private fail(error: Error): void {
    const waiting = [...this.handlers.values(), ...this.blocks.map((block) => block.handler)];
    this.handlers.clear();
    this.blocks.length = 0;
    for (const handler of waiting) handler.onError(error);
    this.onFailure?.(error);
  }

  /** Closes the socket once any in-flight `poll` returns; waiting requests fail with `NETLINK_CLOSED`. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new NetlinkError({ operation: 'close', errno: 9, code: 'NETLINK_CLOSED', message: 'the netlink socket was closed' }));
    await this.pumping?.catch(() => {});
    libc().close(this.fd);
  }
}

/** Decodes the `NLMSG_ERROR` of a reply. */
export function errorOf(message: Message): ErrorMessage {
  return decodeErrorMessage(message.payload, message.header.flags);
}
