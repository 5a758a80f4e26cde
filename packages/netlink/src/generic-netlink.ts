// Generic netlink (NETLINK_GENERIC): a socket, family resolution through the controller (`nlctrl`), and
// requests to a resolved family. wireguard's `WG_CMD_GET_DEVICE`/`WG_CMD_SET_DEVICE` go through here; the
// family's own attributes are the backend's codec, written with MessageWriter. XFRM (NETLINK_XFRM) needs no
// resolution: open a NetlinkSocket with that protocol and use the same request helpers.
import * as N from './codec/constants-netlink.js';
import { GENL_ID_CTRL } from './codec/constants-generic.js';
import { decodeGenericFamily, genericHeader, writeGetFamily } from './codec/generic-message.js';
import type { GenericFamily } from './codec/generic-message.js';
import type { Message } from './codec/message.js';
import type { MessageWriter } from './codec/message-writer.js';
import { NetlinkError } from './errors.js';
import { NetlinkSocket } from './socket/netlink-socket.js';
import { requestAck, requestDump, requestOne } from './socket/requests.js';
import type { NetnsRef } from './types.js';

/** One request to a generic netlink family. */
export interface GenericRequest {
  /** The resolved family (its id is the `nlmsg_type`). */
  readonly family: GenericFamily;
  /** `genlmsghdr.cmd` (`WG_CMD_GET_DEVICE`). */
  readonly command: number;
  /** `genlmsghdr.version`; default the family's version. */
  readonly version?: number;
  /** `NLM_F_*` flags besides `NLM_F_REQUEST` (and `NLM_F_ACK` or `NLM_F_DUMP`, which the method adds). */
  readonly flags?: number;
  /** Writes the family's attributes after `genlmsghdr`. */
  readonly attributes?: (w: MessageWriter) => void;
  /** Names the operation in errors (`setWireguardDevice`). */
  readonly operation: string;
}

/**
 * A generic netlink socket: resolves families by name and sends them requests. Replies are raw
 * {@link Message}s; read them with `genericHeader` and `decodeAttributes(payload, GENL_HDRLEN + headerSize)`.
 *
 * @example
 * ```ts
 * const genl = openGenericNetlink();
 * const wireguard = await genl.resolveFamily('wireguard'); // genl ctrl get name wireguard
 * const [device] = await genl.dump({ family: wireguard, command: 0, operation: 'getDevice', attributes: (w) => w.string(2, 'flannel-wg') });
 * await genl.close();
 * ```
 */
export interface GenericNetlink {
  /** Resolves a family by name; `NetlinkNotFoundError` when this kernel has no such family (module not loaded). */
  resolveFamily(name: string): Promise<GenericFamily>;
  /** Sends a request with `NLM_F_ACK` and resolves on the ACK. */
  ack(request: GenericRequest): Promise<void>;
  /** Sends a `NLM_F_DUMP` request and resolves to every reply message. */
  dump(request: GenericRequest): Promise<Message[]>;
  /** Closes the socket; pending requests reject. */
  close(): Promise<void>;
}

/** Options of {@link openGenericNetlink}. */
export interface GenericNetlinkOptions {
  /** Namespace the socket lives in (default: this thread's). */
  readonly netns?: NetnsRef;
  /** Waiting requests fail with `ETIMEDOUT` after this long without any reply; default 30 s. */
  readonly replyTimeoutMs?: number;
}

/**
 * Opens a `NETLINK_GENERIC` socket. Resolved families are cached for the socket's life (an id only
 * changes when the module is reloaded; resolve again on a fresh socket then).
 *
 * @example
 * ```ts
 * const genl = openGenericNetlink({ netns: { name: 'h1' } });
 * (await genl.resolveFamily('nlctrl')).id; // 16
 * ```
 */
export function openGenericNetlink(options: GenericNetlinkOptions = {}): GenericNetlink {
  return genericNetlinkOver(
    NetlinkSocket.open({
      protocol: N.NETLINK_GENERIC,
      ...(options.netns === undefined ? {} : { netns: options.netns }),
      ...(options.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: options.replyTimeoutMs }),
      receiveBufferBytes: 1024 * 1024,
      sendBufferBytes: 1024 * 1024,
    }),
  );
}

/**
 * {@link GenericNetlink} over an open `NETLINK_GENERIC` socket (which it then owns: `close()` closes it).
 * `openGenericNetlink` is this over a fresh socket; tests hand in a socket whose `send` they record.
 *
 * @example
 * ```ts
 * const genl = genericNetlinkOver(NetlinkSocket.open({ protocol: NETLINK_GENERIC }));
 * ```
 */
export function genericNetlinkOver(socket: NetlinkSocket): GenericNetlink {
  const families = new Map<string, Promise<GenericFamily>>();
  const body = (request: GenericRequest) => (w: MessageWriter) => {
    w.struct(genericHeader, { command: request.command, version: request.version ?? request.family.version, reserved: 0 });
    request.attributes?.(w);
  };
  const resolve = async (name: string): Promise<GenericFamily> => {
    const replies = await requestOne(socket, 'getFamily', GENL_ID_CTRL, (w) => writeGetFamily(w, name), { name });
    const reply = replies.find((message) => message.header.type === GENL_ID_CTRL);
    if (reply === undefined) throw new NetlinkError({ operation: 'getFamily', errno: 71, code: 'NETLINK_PROTOCOL_ERROR', message: `getFamily ${name}: no CTRL_CMD_NEWFAMILY in the reply` });
    return decodeGenericFamily(reply.payload);
  };
  return {
    resolveFamily(name) {
      let family = families.get(name);
      if (family === undefined) {
        family = resolve(name);
        families.set(name, family);
        family.catch(() => families.delete(name));
      }
      return family;
    },
    ack: (request) =>
      requestAck(socket, { operation: request.operation, type: request.family.id, flags: request.flags ?? 0, request, body: body(request) }),
    dump: (request) => requestDump(socket, request.operation, request.family.id, body(request), request.flags ?? 0),
    close: () => socket.close(),
  };
}
