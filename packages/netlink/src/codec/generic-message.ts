// Generic netlink on the wire: `struct genlmsghdr` after the `nlmsghdr`, then the family's attributes. The
// controller family (`nlctrl`, id 0x10) resolves a family name to the id used as `nlmsg_type` for it.
import { attributeMap, decodeAttributes } from './attributes.js';
import { structCodec } from './codec.js';
import * as G from './constants-generic.js';
import type { MessageWriter } from './message-writer.js';
import { readString, readU16, readU32 } from './values.js';

/** `struct genlmsghdr`. */
export interface GenericHeader {
  /** `cmd`: the family's command (`WG_CMD_GET_DEVICE`, `CTRL_CMD_GETFAMILY`…). */
  command: number;
  /** `version` of the family's interface. */
  version: number;
  /** `reserved`, zero. */
  reserved: number;
}

/** Codec of `struct genlmsghdr` (4 bytes). */
export const genericHeader = structCodec<GenericHeader>('genlmsghdr', [
  { name: 'command', size: 1 },
  { name: 'version', size: 1 },
  { name: 'reserved', size: 2 },
]);

/** One multicast group of a generic netlink family. */
export interface GenericMulticastGroup {
  readonly name: string;
  readonly id: number;
}

/** A generic netlink family as the controller describes it (`genl-ctrl-list`). */
export interface GenericFamily {
  /** `CTRL_ATTR_FAMILY_ID`: the `nlmsg_type` of this family's messages. */
  readonly id: number;
  /** `CTRL_ATTR_FAMILY_NAME` (`wireguard`). */
  readonly name: string;
  /** `CTRL_ATTR_VERSION`. */
  readonly version: number;
  /** `CTRL_ATTR_HDRSIZE`: bytes of family header after `genlmsghdr` (0 for most). */
  readonly headerSize: number;
  /** `CTRL_ATTR_MAXATTR`. */
  readonly maxAttribute: number;
  /** `CTRL_ATTR_MCAST_GROUPS`. */
  readonly multicastGroups: readonly GenericMulticastGroup[];
}

/**
 * Writes the body of a `CTRL_CMD_GETFAMILY` request for `name` (send it with `nlmsg_type` `GENL_ID_CTRL`).
 *
 * @example
 * ```ts
 * const body = (w: MessageWriter) => writeGetFamily(w, 'wireguard'); // genl-ctrl-list / `genl ctrl get name wireguard`
 * ```
 */
export function writeGetFamily(w: MessageWriter, name: string): void {
  if (name.length === 0 || name.length > 15) throw new RangeError(`generic netlink family name ${JSON.stringify(name)} is invalid: must be 1..15 characters`);
  w.struct(genericHeader, { command: G.CTRL_CMD_GETFAMILY, version: G.GENL_CTRL_VERSION, reserved: 0 });
  w.string(G.CTRL_ATTR_FAMILY_NAME, name);
}

/**
 * Reads the controller's answer (`CTRL_CMD_NEWFAMILY`) from a message payload (after `nlmsghdr`). Throws
 * `RangeError` on truncated input or when the id or name is missing; unknown attributes are skipped.
 *
 * @example
 * ```ts
 * const family = decodeGenericFamily(reply.payload); // { id: 29, name: 'wireguard', version: 1, … }
 * ```
 */
export function decodeGenericFamily(payload: Uint8Array): GenericFamily {
  const header = genericHeader.decode(payload).value;
  if (header.command !== G.CTRL_CMD_NEWFAMILY) throw new RangeError(`genlmsghdr cmd ${header.command} is not CTRL_CMD_NEWFAMILY`);
  const attributes = attributeMap(decodeAttributes(payload, G.GENL_HDRLEN));
  const id = attributes.get(G.CTRL_ATTR_FAMILY_ID);
  const name = attributes.get(G.CTRL_ATTR_FAMILY_NAME);
  if (id === undefined || name === undefined) throw new RangeError('CTRL_CMD_NEWFAMILY without CTRL_ATTR_FAMILY_ID or CTRL_ATTR_FAMILY_NAME');
  const u32 = (type: number): number => {
    const attribute = attributes.get(type);
    return attribute === undefined ? 0 : readU32(attribute);
  };
  const groups: GenericMulticastGroup[] = [];
  const nested = attributes.get(G.CTRL_ATTR_MCAST_GROUPS);
  if (nested !== undefined) {
    for (const entry of decodeAttributes(nested.data)) {
      const group = attributeMap(decodeAttributes(entry.data));
      const groupName = group.get(G.CTRL_ATTR_MCAST_GRP_NAME);
      const groupId = group.get(G.CTRL_ATTR_MCAST_GRP_ID);
      if (groupName !== undefined && groupId !== undefined) groups.push({ name: readString(groupName), id: readU32(groupId) });
    }
  }
  return {
    id: readU16(id, 'CTRL_ATTR_FAMILY_ID'),
    name: readString(name),
    version: u32(G.CTRL_ATTR_VERSION),
    headerSize: u32(G.CTRL_ATTR_HDRSIZE),
    maxAttribute: u32(G.CTRL_ATTR_MAXATTR),
    multicastGroups: groups,
  };
}
