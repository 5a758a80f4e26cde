// Request/reply patterns over a NetlinkSocket: one request with an ACK, a dump, a single-object get, and a window of
// many requests sent in one sendto with every ACK matched to its request.
import { MessageWriter } from '../codec/message-writer.js';
import type { Message } from '../codec/message.js';
import * as N from '../codec/constants-netlink.js';
import { NetlinkError, netlinkErrorFromErrno } from '../errors.js';
import { errorOf, type NetlinkSocket, type ReplyHandler } from './netlink-socket.js';

/** Builds the body of one request (after its `nlmsghdr`). */
export type BodyWriter = (w: MessageWriter) => void;

function protocolError(operation: string, text: string, cause?: unknown): NetlinkError {
  return new NetlinkError({ operation, errno: 71, code: 'NETLINK_PROTOCOL_ERROR', message: `${operation}: ${text}`, cause });
}

/** One request that the kernel answers with an ACK: what `requestAck` and `sendBatch` send. */
export interface AckRequest {
  /** The `Netlink` method name, for errors (`replaceRoute`). */
  readonly operation: string;
  /** `RTM_*` message type. */
  readonly type: number;
  /** `NLM_F_*` flags besides `NLM_F_REQUEST | NLM_F_ACK` (e.g. `NLM_F_CREATE | NLM_F_REPLACE`). */
  readonly flags: number;
  /** Writes the family header and attributes (called as a method). */
  body(w: MessageWriter): void;
  /** The typed request, carried by errors. */
  readonly request: unknown;
}

/** The error a non-zero `nlmsgerr` stands for, or `undefined` for an ACK. */
export function errorFromReply(message: Message, operation: string, request: unknown): NetlinkError | undefined {
  const reply = errorOf(message);
  if (reply.error === 0) return undefined;
  return netlinkErrorFromErrno({
    operation,
    errno: reply.error,
    sequence: message.header.seq,
    request,
    ...(reply.message !== undefined ? { extendedAck: reply.message } : {}),
  });
}

/**
 * An {@link AckRequest} whose body is `write(w, value, forDelete)`: one object per request with the writer on the
 * prototype — no closure per request (batches build thousands).
 */
export class ValueRequest<T> implements AckRequest {
  constructor(
    readonly operation: string,
    readonly type: number,
    readonly flags: number,
    readonly request: unknown,
    private readonly value: T,
    private readonly write: (w: MessageWriter, value: T, forDelete: boolean) => void,
    private readonly forDelete: boolean,
  ) {}

  body(w: MessageWriter): void {
    this.write(w, this.value, this.forDelete);
  }
}

/**
 * Writes one request (`nlmsghdr` with `flags` and a fresh sequence number, then `body`), registers the handler that
 * `handle` builds for its replies, and sends it; a send that throws forgets the sequence number and rejects. A body
 * that throws does so before anything is registered or sent.
 */
function exchange<T>(
  socket: NetlinkSocket,
  operation: string,
  type: number,
  flags: number,
  body: BodyWriter,
  handle: (resolve: (value: T) => void, reject: (error: unknown) => void) => ReplyHandler,
): Promise<T> {
  const w = new MessageWriter();
  const seq = socket.nextSequence();
  const at = w.begin(type, flags, seq);
  body(w);
  w.end(at);
  return new Promise<T>((resolve, reject) => {
    socket.expect(seq, handle(resolve, reject));
    try {
      socket.send(w.bytes(), operation);
    } catch (error) {
      socket.forget(seq);
      reject(error);
    }
  });
}

/** Sends one request with `NLM_F_ACK` and resolves on its ACK (rejects with the kernel's error). */
export function requestAck(socket: NetlinkSocket, spec: AckRequest): Promise<void> {
  const { operation, type, flags, request } = spec;
  return exchange<void>(socket, operation, type, flags | N.NLM_F_REQUEST | N.NLM_F_ACK, (w) => spec.body(w), (resolve, reject) => ({
    onAck() {
      resolve();
      return true;
    },
    onMessage(message) {
      if (message.header.type !== N.NLMSG_ERROR) return false; // e.g. an NLM_F_ECHO copy; wait for the ACK
      const error = errorFromReply(message, operation, request);
      if (error) reject(error);
      else resolve();
      return true;
    },
    onError: reject,
  }));
}

/**
 * Sends a `NLM_F_DUMP` request (with `flags` besides `NLM_F_REQUEST | NLM_F_DUMP`, e.g. `NLM_F_ATOMIC`) and
 * resolves to every message of the multipart reply (up to `NLMSG_DONE`), or, with
 * `pick`, to what `pick` makes of each message (`undefined` results left out). `pick` sees each message as it
 * arrives, so a dump of 15,000 entries is decoded as it is read and never held as 15,000 messages (each a header,
 * a view and a copy of its datagram) before its first entry is decoded. A dump the kernel marks `NLM_F_DUMP_INTR`
 * (the table changed meanwhile) is retried, up to 5 times; what was picked from an interrupted one is dropped, and
 * `restart` is called before the retry (a `pick` that hands entries on, as a `DumpVisitor` does, must forget them). A
 * `pick` that throws fails the dump with that error once the kernel has sent all of it (the socket stays usable).
 *
 * @example
 * ```ts
 * const routes = await requestDump(socket, 'listRoutes', RTM_GETROUTE, (w) => writeRouteDump(w, AF_INET), 0, (m) => decodeRouteMessage(m.payload)?.route);
 * ```
 */
export function requestDump(socket: NetlinkSocket, operation: string, type: number, body: BodyWriter, flags?: number): Promise<Message[]>;
export function requestDump<T>(
  socket: NetlinkSocket,
  operation: string,
  type: number,
  body: BodyWriter,
  flags: number,
  pick: (message: Message) => T | undefined,
  restart?: () => void,
): Promise<T[]>;
export async function requestDump<T>(
  socket: NetlinkSocket,
  operation: string,
  type: number,
  body: BodyWriter,
  flags = 0,
  pick?: (message: Message) => T | undefined,
  restart?: () => void,
): Promise<Array<T | Message>> {
  for (let attempt = 1; ; attempt++) {
    const { values, interrupted } = await socket.exclusiveDump(() => dumpOnce<T | Message>(socket, operation, type, body, flags, pick ?? ((message) => message)));
    if (!interrupted) return values;
    if (attempt >= 5) throw new NetlinkError({ operation, errno: 4, message: `${operation}: dump interrupted by concurrent changes ${attempt} times (NLM_F_DUMP_INTR)` });
    restart?.();
  }
}

function dumpOnce<T>(
  socket: NetlinkSocket,
  operation: string,
  type: number,
  body: BodyWriter,
  flags: number,
  pick: (message: Message) => T | undefined,
): Promise<{ values: T[]; interrupted: boolean }> {
  const values: T[] = [];
  let interrupted = false;
  let failed: { error: unknown } | undefined;
  return exchange(socket, operation, type, flags | N.NLM_F_REQUEST | N.NLM_F_DUMP, body, (resolve, reject) => ({
    onMessage(message) {
      if ((message.header.flags & N.NLM_F_DUMP_INTR) !== 0) interrupted = true;
      if (message.header.type === N.NLMSG_DONE) {
        if (failed !== undefined) reject(failed.error);
        else resolve({ values, interrupted });
        return true;
      }
      if (message.header.type === N.NLMSG_ERROR) {
        reject(errorFromReply(message, operation, undefined) ?? protocolError(operation, 'ACK where a dump reply was expected'));
        return true;
      }
      if (message.header.type === N.NLMSG_OVERRUN) {
        reject(protocolError(operation, 'NLMSG_OVERRUN: the dump lost data'));
        return true;
      }
      // The rest of the dump is still read (and dropped) after a failed pick: the kernel finishes a dump it started.
      if (failed !== undefined) return false;
      try {
        const value = pick(message);
        if (value !== undefined) values.push(value);
      } catch (error) {
        failed = { error };
      }
      return false;
    },
    onError: reject,
  }));
}

/** Sends a request that answers with one object (`RTM_GETLINK` by name, `RTM_GETROUTE` of an address). */
export function requestOne(socket: NetlinkSocket, operation: string, type: number, body: BodyWriter, request?: unknown): Promise<Message[]> {
  const messages: Message[] = [];
  return exchange(socket, operation, type, N.NLM_F_REQUEST | N.NLM_F_ACK, body, (resolve, reject) => ({
    onAck() {
      resolve(messages);
      return true;
    },
    onMessage(message) {
      if (message.header.type !== N.NLMSG_ERROR) {
        messages.push(message);
        return false;
      }
      const error = errorFromReply(message, operation, request);
      if (error) reject(error);
      else resolve(messages);
      return true;
    },
    onError: reject,
  }));
}
