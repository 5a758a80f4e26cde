import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageWriter } from '../codec/message-writer.js';
import { NLMSG_ERROR, RTM_NEWLINK } from '../codec/constants-netlink.js';
import { IFLA_IFNAME } from '../codec/constants-link.js';
import { interfaceInfoHeader } from '../codec/family-headers.js';
import { NetlinkError } from '../errors.js';
import { getLink } from '../link.js';
import { NetlinkSocket } from './netlink-socket.js';

// A real socket whose sendto is replaced, so the test plays the kernel by feeding datagrams to the read side.
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

describe('NetlinkSocket replies', () => {
  let socket: NetlinkSocket;
  beforeEach(() => {
    socket = NetlinkSocket.open();
    socket.send = () => {};
  });
  afterEach(() => socket.close());

  it('rejects a request with a protocol error (cause RangeError) when the reply datagram is truncated', async () => {
    const seq = socket.nextSequence() + 1;
    const pending = getLink(socket, 'eth0');
    const datagram = ack(seq);
    (socket as unknown as Inner).dispatch(datagram.subarray(0, 20));
    const error = await pending.catch((e: unknown) => e);
    expect(NetlinkError.hasCode(error, 'NETLINK_PROTOCOL_ERROR')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
  });

  it('rejects with RangeError when a reply message is corrupt inside', async () => {
    const seq = socket.nextSequence() + 1;
    const pending = getLink(socket, 'eth0');
    const w = new MessageWriter();
    const at = w.begin(RTM_NEWLINK, 0, seq);
    w.struct(interfaceInfoHeader, { family: 0, type: 1, index: 2, flags: 0, change: 0 });
    w.string(IFLA_IFNAME, 'eth0');
    w.end(at);
    const bytes = w.bytes().slice();
    bytes[16 + 16] = 0x40; // nla_len 64: runs past the message
    (socket as unknown as Inner).dispatch(new Uint8Array([...bytes, ...ack(seq)]));
    await expect(pending).rejects.toThrow(RangeError);
  });

  it('ignores replies to unknown sequence numbers and still answers the pending request', async () => {
    const seq = socket.nextSequence() + 1;
    const pending = getLink(socket, 'eth0');
    (socket as unknown as Inner).dispatch(ack(seq + 100));
    (socket as unknown as Inner).dispatch(ack(seq, -19));
    await expect(pending).rejects.toSatisfy((e: unknown) => NetlinkError.hasErrno(e, 'ENODEV'));
  });

  it('fails waiting requests with NETLINK_CLOSED on close', async () => {
    const pending = getLink(socket, 'eth0');
    await socket.close();
    await expect(pending).rejects.toSatisfy((e: unknown) => NetlinkError.hasCode(e, 'NETLINK_CLOSED'));
  });

  it('fails a request whose reply never comes with ETIMEDOUT instead of hanging', async () => {
    const quiet = NetlinkSocket.open({ replyTimeoutMs: 50 });
    quiet.send = function (this: NetlinkSocket) {
      this.startPump();
    };
    try {
      await expect(getLink(quiet, 'eth0')).rejects.toSatisfy((e: unknown) => NetlinkError.hasErrno(e, 'ETIMEDOUT'));
    } finally {
      await quiet.close();
    }
  });

  it('reads back the receive buffer the kernel granted (batch windows are sized from it)', () => {
    expect(socket.receiveBufferBytes).toBeGreaterThan(0);
  });
});
