import { describe, expect, it } from 'vitest';
import { GENL_ID_CTRL } from './constants-generic.js';
import { NLM_F_ACK, NLM_F_REQUEST } from './constants-netlink.js';
import { decodeGenericFamily, writeGetFamily } from './generic-message.js';
import { decodeMessages } from './message.js';
import { MessageWriter } from './message-writer.js';
import { hex } from './__fixtures__/hex.js';

describe('writeGetFamily', () => {
  it('asks the controller for a family by NUL-terminated name', () => {
    const w = new MessageWriter();
    const at = w.begin(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK, 7);
    writeGetFamily(w, 'wireguard');
    w.end(at);
    expect(w.bytes()).toEqual(
      hex(`
        24 00 00 00                   # nlmsg_len 36
        10 00                         # nlmsg_type GENL_ID_CTRL
        05 00                         # NLM_F_REQUEST | NLM_F_ACK
        07 00 00 00                   # nlmsg_seq 7
        00 00 00 00                   # nlmsg_pid
        03                            # genlmsghdr.cmd CTRL_CMD_GETFAMILY
        01                            # genlmsghdr.version 1
        00 00                         # reserved
        0e 00 02 00                   # nla_len 14, CTRL_ATTR_FAMILY_NAME
        77 69 72 65 67 75 61 72 64 00 # "wireguard\\0"
        00 00                         # padding
      `),
    );
  });

  it('refuses a name the kernel could never hold (GENL_NAMSIZ 16 with the NUL)', () => {
    expect(() => writeGetFamily(new MessageWriter(), '')).toThrow(RangeError);
    expect(() => writeGetFamily(new MessageWriter(), 'a-name-too-long-x')).toThrow('generic netlink family name "a-name-too-long-x" is invalid: must be 1..15 characters');
  });
});

describe('decodeGenericFamily', () => {
  // The kernel's reply (6.18) to `CTRL_CMD_GETFAMILY name nlctrl`, captured from a NETLINK_GENERIC socket.
  const NLCTRL = hex(`
    01 02 00 00                   # genlmsghdr: cmd CTRL_CMD_NEWFAMILY, version 2
    0b 00 02 00 6e 6c 63 74 72 6c 00 00  # CTRL_ATTR_FAMILY_NAME "nlctrl"
    06 00 01 00 10 00 00 00       # CTRL_ATTR_FAMILY_ID 0x10
    08 00 03 00 02 00 00 00       # CTRL_ATTR_VERSION 2
    08 00 04 00 00 00 00 00       # CTRL_ATTR_HDRSIZE 0
    08 00 05 00 00 00 00 00       # CTRL_ATTR_MAXATTR 0
    2c 00 06 00                   # CTRL_ATTR_OPS (nested, kept raw)
      14 00 01 00 08 00 01 00 03 00 00 00 08 00 02 00 0e 00 00 00
      14 00 02 00 08 00 01 00 0a 00 00 00 08 00 02 00 0c 00 00 00
    1c 00 07 00                   # CTRL_ATTR_MCAST_GROUPS
      18 00 01 00                 # group 1
        08 00 02 00 10 00 00 00   # CTRL_ATTR_MCAST_GRP_ID 16
        0b 00 01 00 6e 6f 74 69 66 79 00 00  # CTRL_ATTR_MCAST_GRP_NAME "notify"
  `);

  it('reads id, name, version, header size and multicast groups from a kernel reply', () => {
    expect(decodeGenericFamily(NLCTRL)).toEqual({
      id: 0x10,
      name: 'nlctrl',
      version: 2,
      headerSize: 0,
      maxAttribute: 0,
      multicastGroups: [{ name: 'notify', id: 16 }],
    });
  });

  it('throws RangeError on a truncated reply or one without id and name', () => {
    expect(() => decodeGenericFamily(NLCTRL.subarray(0, 20))).toThrow(RangeError);
    expect(() => decodeGenericFamily(hex('01 02 00 00'))).toThrow('CTRL_CMD_NEWFAMILY without CTRL_ATTR_FAMILY_ID or CTRL_ATTR_FAMILY_NAME');
    expect(() => decodeGenericFamily(hex('03 01 00 00'))).toThrow('genlmsghdr cmd 3 is not CTRL_CMD_NEWFAMILY');
  });

  it('is what decodeMessages hands over as the payload', () => {
    const framed = new Uint8Array(16 + NLCTRL.byteLength);
    new DataView(framed.buffer).setUint32(0, framed.byteLength, true);
    new DataView(framed.buffer).setUint16(4, GENL_ID_CTRL, true);
    framed.set(NLCTRL, 16);
    expect(decodeGenericFamily(decodeMessages(framed)[0]!.payload).name).toBe('nlctrl');
  });
});
