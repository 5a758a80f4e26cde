import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageWriter } from '../codec/message-writer.js';
import { NLMSG_ERROR } from '../codec/constants-netlink.js';
import { NetlinkError } from '../errors.js';
import { routeRequest } from '../route.js';
import { sendBatch } from './batch.js';
import { NetlinkSocket } from './netlink-socket.js';

// A real socket whose sendto is replaced, so the test plays the kernel by feeding ACK datagrams to the read side.
type Inner = { dispatch(datagram: Uint8Array): void };

function ack(seq: number, error = 0): Uint8Array {
  const w = new MessageWriter();
  const at = w.begin(NLMSG_ERROR, 0x100 /* NLM_F_CAPPED */, seq);
  const body = new Uint8Array(20);
  new DataView(body.buffer).setInt32(0, error, true);
  w.struct({ encodingLength: () => 20, encode: (_: null, t: Uint8Array, o: number) => (t.set(body, o), t) }, null);
  w.end(at);
  return w.bytes().slice();
}

const route = (n: number) => routeRequest('replaceRoute', { family: 4, destination: `10.5.${n}.0/24`, gateway: `10.5.${n}.0`, index: 3, onlink: true });

describe('sendBatch window replies', () => {
  let socket: NetlinkSocket;
  let sent: number;
  beforeEach(() => {
    socket = NetlinkSocket.open();
    sent = 0;
    socket.send = () => {
      sent += 1;
    };
  });
  afterEach(() => socket.close());

  it('matches ACKs in any order to their requests by sequence number, once each, window by window', async () => {
    const first = socket.nextSequence() + 1;
    const pending = sendBatch(socket, [route(1), route(2), route(3), route(4), route(5)], { window: 3 });
    const inner = socket as unknown as Inner;
    inner.dispatch(new Uint8Array([...ack(first + 2), ...ack(first), ...ack(first, -17), ...ack(first + 1, -19)]));
    await new Promise((resolve) => setImmediate(resolve)); // the second window goes out once the first is answered
    expect(sent).toBe(2);
    inner.dispatch(new Uint8Array([...ack(first + 4), ...ack(first + 3)]));
    const results = await pending;
    expect(results.map((result) => result.ok)).toEqual([true, false, true, true, true]);
    const refused = results[1]!;
    expect(!refused.ok && NetlinkError.hasErrno(refused.error, 'ENODEV')).toBe(true);
  });

  it('fails every request still waiting when the socket closes', async () => {
    const first = socket.nextSequence() + 1;
    const pending = sendBatch(socket, [route(1), route(2)]);
    (socket as unknown as Inner).dispatch(ack(first));
    await socket.close();
    const results = await pending;
    expect(results[0]).toEqual({ ok: true });
    expect(!results[1]!.ok && NetlinkError.hasCode(results[1]!.error, 'NETLINK_CLOSED')).toBe(true);
  });
});

describe('NetlinkSocket.nextSequences', () => {
  it('hands out a block that never wraps inside and never contains 0', async () => {
    const socket = NetlinkSocket.open();
    try {
      (socket as unknown as { sequence: number }).sequence = 0xffff_ff00; // 0x100 more would pass 0xfffffff0
      const first = socket.nextSequences(0x100);
      expect(first).toBe(1);
      expect(socket.nextSequence()).toBe(0x101);
    } finally {
      await socket.close();
    }
  });
});
