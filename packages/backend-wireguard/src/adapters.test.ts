import { MessageWriter } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { genetlinkFromSocket, keyStoreFromNamedKeys } from './adapters.js';
import type { GenericNetlinkLike } from './adapters.js';
import { encodeGetDevice, encodeSetDevice } from './genl/wireguard-genl-codec.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from './genl/wireguard-genl-constants.js';

describe('keyStoreFromNamedKeys', () => {
  it('generates and saves a key once, then loads it', async () => {
    const saved = new Map<string, Uint8Array>();
    const store = keyStoreFromNamedKeys({ load: async (name) => saved.get(name), save: async (name, key) => (saved.set(name, key), key) });
    const first = await store.loadPrivateKey();
    expect(saved.get('wireguard')).toHaveLength(32);
    expect((await store.loadPrivateKey()).equals(first)).toBe(true);
  });
});

describe('genetlinkFromSocket', () => {
  it('sends the codec payload as the socket request: command from genlmsghdr, attributes after it', async () => {
    const sent: Array<{ kind: string; command: number; bytes: Uint8Array; flags?: number }> = [];
    const body = (request: Parameters<GenericNetlinkLike['ack']>[0]): Uint8Array => {
      const writer = new MessageWriter();
      request.attributes?.(writer);
      return Uint8Array.from(writer.bytes());
    };
    const socket: GenericNetlinkLike = {
      resolveFamily: async () => ({ id: 27, version: 1 }),
      ack: async (request) => void sent.push({ kind: 'ack', command: request.command, bytes: body(request) }),
      dump: async (request) => {
        sent.push({ kind: 'dump', command: request.command, bytes: body(request), ...(request.flags === undefined ? {} : { flags: request.flags }) });
        return [{ payload: Uint8Array.of(0, 1, 0, 0) }];
      },
    };
    const genetlink = genetlinkFromSocket(socket);
    const id = await genetlink.resolveFamily('wireguard');
    const set = encodeSetDevice({ index: 3 }, { listenPort: 51820 });
    expect(await genetlink.request(id, NLM_F_REQUEST | NLM_F_ACK, set)).toEqual([]);
    const get = encodeGetDevice({ index: 3 });
    expect(await genetlink.request(id, NLM_F_REQUEST | NLM_F_DUMP, get)).toEqual([Uint8Array.of(0, 1, 0, 0)]);
    await genetlink.request(id, NLM_F_REQUEST | NLM_F_DUMP | 0x400 /* NLM_F_ATOMIC */, get);
    expect(sent).toEqual([
      { kind: 'ack', command: 1, bytes: set.subarray(4) },
      { kind: 'dump', command: 0, bytes: get.subarray(4) },
      { kind: 'dump', command: 0, bytes: get.subarray(4), flags: 0x400 },
    ]);
  });
});
