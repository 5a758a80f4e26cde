// Link operations (`ip link …`) over a NetlinkSocket.
import { closeSync } from 'node:fs';
import * as L from './codec/constants-link.js';
import * as N from './codec/constants-netlink.js';
import { decodeLink, writeLinkRef, writeNewLink, writeSetLink } from './codec/link-message.js';
import { interfaceInfoHeader } from './codec/family-headers.js';
import { describeNetlinkRequest } from './describe-request.js';
import { NetlinkNotFoundError } from './errors.js';
import type { LinkRef } from './netlink.js';
import type { NetlinkSocket } from './socket/netlink-socket.js';
import { openNetns } from './socket/netns.js';
import { requestAck, requestDump, requestOne } from './socket/requests.js';
import type { Link, LinkChanges, LinkSpec } from './types.js';
import { validateLinkChanges, validateLinkRef, validateLinkSpec } from './validate.js';

/** `ip -d link show dev <ref>`: one link by name or index; rejects `NetlinkNotFoundError`. */
export async function getLink(socket: NetlinkSocket, ref: LinkRef): Promise<Link> {
  const valid = validateLinkRef(ref, 'getLink');
  const replies = await requestOne(socket, 'getLink', N.RTM_GETLINK, (writer) => writeLinkRef(writer, valid), ref);
  const reply = replies.find((m) => m.header.type === N.RTM_NEWLINK);
  if (!reply) throw new NetlinkNotFoundError({ operation: 'getLink', errno: 19, request: ref, message: `getLink ${describeNetlinkRequest('getLink', ref)!} failed: no such link` });
  return decodeLink(reply.payload);
}

/** Like {@link getLink} but resolves `undefined` when the link does not exist. */
export async function findLink(socket: NetlinkSocket, ref: LinkRef): Promise<Link | undefined> {
  try {
    return await getLink(socket, ref);
  } catch (error) {
    if (NetlinkNotFoundError.isInstance(error)) return undefined;
    throw error;
  }
}

/** `ip -d link show`: every link of the namespace. */
export async function listLinks(socket: NetlinkSocket): Promise<Link[]> {
  const messages = await requestDump(socket, 'listLinks', N.RTM_GETLINK, (writer) =>
    writer.struct(interfaceInfoHeader, { family: N.AF_UNSPEC, type: 0, index: 0, flags: 0, change: 0 }),
  );
  return messages.filter((m) => m.header.type === N.RTM_NEWLINK).map((m) => decodeLink(m.payload));
}

/**
 * `ip link add <name> [mtu N] [address MAC] [master M] [up] type <kind> …`: creates a link
 * (`RTM_NEWLINK` with `NLM_F_CREATE | NLM_F_EXCL`) and resolves to it as the kernel reports it.
 * A veth peer can be created straight into another namespace (`peer name P netns NS`).
 */
export async function addLink(socket: NetlinkSocket, spec: LinkSpec): Promise<Link> {
  const valid = validateLinkSpec(spec, 'addLink');
  const peerNetns = valid.kind === 'veth' && valid.peerNetns ? openNetns(valid.peerNetns, 'addLink') : undefined;
  try {
    await requestAck(socket, {
      operation: 'addLink',
      type: N.RTM_NEWLINK,
      flags: N.NLM_F_CREATE | N.NLM_F_EXCL,
      body: (writer) => writeNewLink(writer, valid, peerNetns ? { peerNetnsFd: peerNetns.fd } : {}),
      request: spec,
    });
  } finally {
    if (peerNetns?.owned) closeSync(peerNetns.fd);
  }
  return getLink(socket, valid.name);
}

/** `ip link del <ref>` */
export async function deleteLink(socket: NetlinkSocket, ref: LinkRef): Promise<void> {
  const valid = validateLinkRef(ref, 'deleteLink');
  await requestAck(socket, { operation: 'deleteLink', type: N.RTM_DELLINK, flags: 0, body: (writer) => writeLinkRef(writer, valid), request: ref });
}

/** `ip link set <ref> [up|down] [mtu N] [address MAC] [master M | nomaster]` (`masterIndex: 0` = nomaster). */
export async function setLink(socket: NetlinkSocket, ref: LinkRef, changes: LinkChanges): Promise<void> {
  const validRef = validateLinkRef(ref, 'setLink');
  const valid = validateLinkChanges(changes, 'setLink');
  const index = typeof validRef === 'number' ? validRef : (await getLink(socket, validRef)).index;
  await requestAck(socket, { operation: 'setLink', type: N.RTM_NEWLINK, flags: 0, body: (writer) => writeSetLink(writer, index, valid), request: { ref, changes } });
}

/** `IFF_UP` of a raw `ifi_flags`. */
export const isUp = (flags: number): boolean => (flags & L.IFF_UP) !== 0;
