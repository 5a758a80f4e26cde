import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NETLINK_GENERIC, NLM_F_ATOMIC, NLMSG_DONE } from './codec/constants-netlink.js';
import type { GenericFamily } from './codec/generic-message.js';
import { MessageWriter } from './codec/message-writer.js';
import { hex } from './codec/__fixtures__/hex.js';
import { genericNetlinkOver } from './generic-netlink.js';
import type { GenericNetlink } from './generic-netlink.js';
import { NetlinkSocket } from './socket/netlink-socket.js';

// A real NETLINK_GENERIC socket whose sendto is replaced: the test records what would go to the kernel and
// plays the kernel by feeding datagrams to the read side.
type Inner = { dispatch(datagram: Uint8Array): void };

const WIREGUARD: GenericFamily = { id: 0x1b, name: 'wireguard', version: 1, headerSize: 0, maxAttribute: 8, multicastGroups: [] };

function done(seq: number): Uint8Array {
  const w = new MessageWriter();
  const at = w.begin(NLMSG_DONE, 0x2 /* NLM_F_MULTI */, seq);
  w.u32(0, 0);
  w.end(at);
  return w.bytes().slice();
}

/** Waits for the request to go out, answers it with NLMSG_DONE, and returns it with its nlmsg_seq zeroed. */
async function answerDump(socket: NetlinkSocket, sent: Uint8Array[]): Promise<Uint8Array> {
  while (sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const request = sent[0]!.slice();
  const view = new DataView(request.buffer);
  (socket as unknown as Inner).dispatch(done(view.getUint32(8, true)));
  view.setUint32(8, 0, true);
  return request;
}

describe('genericNetlinkOver', () => {
  let socket: NetlinkSocket;
  let genl: GenericNetlink;
  const sent: Uint8Array[] = [];
  beforeEach(() => {
    socket = NetlinkSocket.open({ protocol: NETLINK_GENERIC });
    socket.send = (bytes) => void sent.push(bytes.slice());
    genl = genericNetlinkOver(socket);
  });
  afterEach(async () => {
    sent.length = 0;
    await genl.close();
  });

  it('sends a dump with the caller flags added to NLM_F_REQUEST | NLM_F_DUMP', async () => {
    const pending = genl.dump({ family: WIREGUARD, command: 0, flags: NLM_F_ATOMIC, operation: 'getWireguardDevice', attributes: (w) => w.u32(1, 7) });
    const request = await answerDump(socket, sent);
    expect(await pending).toEqual([]);
    expect(request).toEqual(
      hex(`
        1c 00 00 00                   # nlmsg_len 28
        1b 00                         # nlmsg_type: the family id
        01 07                         # NLM_F_REQUEST | NLM_F_DUMP (0x300) | NLM_F_ATOMIC (0x400)
        00 00 00 00                   # nlmsg_seq (zeroed: the socket's own)
        00 00 00 00                   # nlmsg_pid
        00                            # genlmsghdr.cmd WG_CMD_GET_DEVICE
        01                            # genlmsghdr.version: the family's
        00 00                         # reserved
        08 00 01 00                   # nla_len 8, attribute 1
        07 00 00 00                   # u32 7
      `),
    );
  });

  it('sends a dump without extra flags as NLM_F_REQUEST | NLM_F_DUMP', async () => {
    const pending = genl.dump({ family: WIREGUARD, command: 0, operation: 'getWireguardDevice' });
    const request = await answerDump(socket, sent);
    await pending;
    expect([...request.subarray(6, 8)]).toEqual([0x01, 0x03]);
  });
});
