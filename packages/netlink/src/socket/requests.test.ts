import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageWriter } from '../codec/message-writer.js';
import { NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, RTM_GETLINK, RTM_NEWLINK } from '../codec/constants-netlink.js';
import { NetlinkSocket } from './netlink-socket.js';
import { requestDump } from './requests.js';

/** `NLM_F_ATOMIC` (0x400), a dump flag some generic netlink families take. */
const NLM_F_ATOMIC = 0x400;

// A real socket whose sendto is replaced: each request's sequence number is recorded and the test plays the
// kernel by feeding datagrams to the read side.
type Inner = { dispatch(datagram: Uint8Array): void };

/** One datagram of dump replies: an `RTM_NEWLINK` carrying each value as a u32 body, then `NLMSG_DONE` if `done`. */
function dumpDatagram(seq: number, values: readonly number[], options: { done?: boolean; interrupted?: boolean } = {}): Uint8Array {
  const flags = NLM_F_MULTI | (options.interrupted === true ? NLM_F_DUMP_INTR : 0);
  const w = new MessageWriter();
  for (const value of values) {
    const at = w.begin(RTM_NEWLINK, flags, seq);
    w.u32(1, value);
    w.end(at);
  }
  if (options.done === true) {
    const at = w.begin(NLMSG_DONE, flags, seq);
    w.u32(0, 0);
    w.end(at);
  }
  return w.bytes().slice();
}

/** The value a {@link dumpDatagram} message carries (its attribute's u32, after the 4-byte attribute header). */
const valueOf = (payload: Uint8Array): number => new DataView(payload.buffer, payload.byteOffset).getUint32(4, true);

describe('requestDump', () => {
  let socket: NetlinkSocket;
  let sent: number[];
  let sentFlags: number[];
  const kernel = (datagram: Uint8Array): void => (socket as unknown as Inner).dispatch(datagram);
  beforeEach(() => {
    socket = NetlinkSocket.open();
    sent = [];
    sentFlags = [];
    socket.send = (bytes: Uint8Array) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      sentFlags.push(view.getUint16(6, true));
      sent.push(view.getUint32(8, true));
    };
  });
  afterEach(() => socket.close());

  /** Resolves once `count` requests have been sent (a retried dump sends its request after a microtask or two). */
  async function sentRequests(count: number): Promise<number[]> {
    while (sent.length < count) await new Promise((resolve) => setImmediate(resolve));
    return sent;
  }

  it('hands each message to pick as it arrives and resolves to the picked values, undefined left out', async () => {
    const picked: number[] = [];
    const dump = requestDump(socket, 'listTest', RTM_GETLINK, () => {}, 0, (message) => {
      const value = valueOf(message.payload);
      picked.push(value);
      return value % 2 === 0 ? value : undefined;
    });
    const [seq] = await sentRequests(1);
    kernel(dumpDatagram(seq!, [1, 2, 3]));
    expect(picked).toEqual([1, 2, 3]);
    kernel(dumpDatagram(seq!, [4], { done: true }));
    await expect(dump).resolves.toEqual([2, 4]);
  });

  it('without pick resolves to the messages themselves; extra flags go with NLM_F_REQUEST | NLM_F_DUMP', async () => {
    const dump = requestDump(socket, 'listTest', RTM_GETLINK, () => {}, NLM_F_ATOMIC);
    const [seq] = await sentRequests(1);
    expect(sentFlags).toEqual([NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ATOMIC]);
    kernel(dumpDatagram(seq!, [7, 8], { done: true }));
    expect((await dump).map((message) => valueOf(message.payload))).toEqual([7, 8]);
  });

  it('drops what was picked from a dump marked NLM_F_DUMP_INTR and retries it', async () => {
    const dump = requestDump(socket, 'listTest', RTM_GETLINK, () => {}, 0, (message) => valueOf(message.payload));
    const [first] = await sentRequests(1);
    kernel(dumpDatagram(first!, [1, 2]));
    kernel(dumpDatagram(first!, [3], { done: true, interrupted: true }));
    const [, second] = await sentRequests(2);
    expect(second).not.toBe(first);
    kernel(dumpDatagram(second!, [10, 11], { done: true }));
    await expect(dump).resolves.toEqual([10, 11]);
  });

  it('calls restart before it reads an interrupted dump again, so a pick that hands entries on can forget them', async () => {
    const handed: Array<number | 'restart'> = [];
    const dump = requestDump(socket, 'listTest', RTM_GETLINK, () => {}, 0, (message) => {
      handed.push(valueOf(message.payload));
      return undefined;
    }, () => handed.push('restart'));
    const [first] = await sentRequests(1);
    kernel(dumpDatagram(first!, [1, 2], { done: true, interrupted: true }));
    const [, second] = await sentRequests(2);
    expect(handed).toEqual([1, 2, 'restart']);
    kernel(dumpDatagram(second!, [1], { done: true }));
    await expect(dump).resolves.toEqual([]);
    expect(handed).toEqual([1, 2, 'restart', 1]);
  });

  it('fails with the error pick throws once the kernel has sent the whole dump, and the socket dumps again', async () => {
    const seen: number[] = [];
    const failing = requestDump(socket, 'listTest', RTM_GETLINK, () => {}, 0, (message) => {
      const value = valueOf(message.payload);
      seen.push(value);
      if (value === 2) throw new RangeError('bad entry 2');
      return value;
    });
    let settled = false;
    failing.then(() => (settled = true), () => (settled = true));
    const [first] = await sentRequests(1);
    kernel(dumpDatagram(first!, [1, 2, 3]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(seen).toEqual([1, 2]);
    kernel(dumpDatagram(first!, [4], { done: true }));
    await expect(failing).rejects.toThrow('bad entry 2');

    const next = requestDump(socket, 'listTest', RTM_GETLINK, () => {}, 0, (message) => valueOf(message.payload));
    const [, second] = await sentRequests(2);
    kernel(dumpDatagram(second!, [5], { done: true }));
    await expect(next).resolves.toEqual([5]);
  });
});
