// RTM_*NEIGH requests and replies: ARP/NDP entries (AF_INET/AF_INET6) and bridge FDB entries (AF_BRIDGE).
import type { FdbEntry, Neighbour } from '../types.js';
import { indexAttributes } from './attributes.js';
import { AF_BRIDGE, AF_INET, AF_INET6 } from './constants-netlink.js';
import * as R from './constants-route.js';
import { neighbourHeader, type NeighbourHeader } from './family-headers.js';
import type { MessageWriter } from './message-writer.js';
import { afOf } from './address-message.js';
import { STATE_NUMBERS, stateName } from './scopes.js';
import { be16At, ipAt, macAt, u32At } from './values.js';

/**
 * Writes the body of an `RTM_NEWNEIGH`/`RTM_DELNEIGH` for an ARP/NDP entry
 * (`ip neigh replace <ip> dev <i> lladdr <mac> nud permanent`). A delete sends state 0.
 */
export function writeNeighbour(w: MessageWriter, n: Neighbour, forDelete = false): void {
  // One header object for every entry written (the writer copies it out at once): batches write thousands.
  const h = HEADER;
  h.family = afOf(n.family);
  h.index = n.index;
  h.state = forDelete ? 0 : STATE_NUMBERS[n.state ?? 'permanent'];
  h.flags = 0;
  h.type = forDelete ? 0 : R.RTN_UNICAST;
  w.struct(neighbourHeader, h);
  w.ip(R.NDA_DST, n.address);
  if (n.hardwareAddress !== undefined && !forDelete) w.mac(R.NDA_LLADDR, n.hardwareAddress);
}

/**
 * Writes the body of an `RTM_NEWNEIGH`/`RTM_DELNEIGH` for an FDB entry
 * (`bridge fdb replace <mac> dev <i> self dst <ip> permanent`): family `AF_BRIDGE`, `NTF_SELF` unless `self` is
 * false, `NDA_LLADDR`, `NDA_DST`, `NDA_VNI`, `NDA_PORT`.
 */
export function writeFdbEntry(w: MessageWriter, e: FdbEntry, forDelete = false): void {
  const h = HEADER;
  h.family = AF_BRIDGE;
  h.index = e.index;
  h.state = forDelete ? 0 : STATE_NUMBERS[e.state ?? 'permanent'];
  h.flags = (e.self === false ? 0 : R.NTF_SELF) | (e.master ? R.NTF_MASTER : 0);
  h.type = 0;
  w.struct(neighbourHeader, h);
  w.mac(R.NDA_LLADDR, e.hardwareAddress);
  if (e.destination !== undefined) w.ip(R.NDA_DST, e.destination);
  if (e.port !== undefined) w.be16(R.NDA_PORT, e.port);
  if (e.vni !== undefined) w.u32(R.NDA_VNI, e.vni);
}

/** The `ndmsg` {@link writeNeighbour} and {@link writeFdbEntry} fill in for each entry. */
const HEADER: NeighbourHeader = { family: 0, index: 0, state: 0, flags: 0, type: 0 };

/** Writes the body of an `RTM_GETNEIGH` dump of `family` (`AF_INET`, `AF_INET6`, `AF_BRIDGE`; 0 = all). */
export function writeNeighbourDump(w: MessageWriter, family: number, index = 0): void {
  w.struct(neighbourHeader, { family, index, state: 0, flags: 0, type: 0 });
}

/** A decoded `RTM_NEWNEIGH`: a neighbour, an FDB entry, or neither (other families). */
export type NeighbourMessage =
  | { readonly kind: 'neighbour'; readonly neighbour: Neighbour }
  | { readonly kind: 'fdb'; readonly entry: FdbEntry }
  | undefined;

/** Decodes an `RTM_NEWNEIGH` payload. */
export function decodeNeighbourMessage(payload: Uint8Array): NeighbourMessage {
  const { value: h, consumed } = neighbourHeader.decode(payload);
  // No object per attribute: a dump decodes thousands of entries.
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const at = NEIGHBOUR_ATTRIBUTES;
  indexAttributes(payload, view, consumed, payload.byteLength, at);
  const dst = 2 * R.NDA_DST;
  const lladdr = 2 * R.NDA_LLADDR;
  const state = stateName(h.state);
  if (h.family === AF_INET || h.family === AF_INET6) {
    if (at[dst]! < 0) throw new RangeError(`RTM_NEWNEIGH on index ${h.index}: NDA_DST is missing`);
    const neighbour: { -readonly [K in keyof Neighbour]: Neighbour[K] } = {
      family: h.family === AF_INET ? 4 : 6,
      index: h.index,
      address: ipAt(payload, at[dst]!, at[dst + 1]!),
    };
    if (at[lladdr]! >= 0 && at[lladdr + 1]! > 0) neighbour.hardwareAddress = macAt(payload, at[lladdr]!, at[lladdr + 1]!);
    neighbour.state = state;
    return { kind: 'neighbour', neighbour };
  }
  if (h.family !== AF_BRIDGE) return undefined;
  if (at[lladdr]! < 0) throw new RangeError(`RTM_NEWNEIGH (AF_BRIDGE) on index ${h.index}: NDA_LLADDR is missing`);
  const entry: { -readonly [K in keyof FdbEntry]: FdbEntry[K] } = { index: h.index, hardwareAddress: macAt(payload, at[lladdr]!, at[lladdr + 1]!) };
  if (at[dst]! >= 0) entry.destination = ipAt(payload, at[dst]!, at[dst + 1]!);
  entry.self = (h.flags & R.NTF_SELF) !== 0;
  entry.master = (h.flags & R.NTF_MASTER) !== 0;
  entry.state = state;
  const vni = 2 * R.NDA_VNI;
  if (at[vni]! >= 0) entry.vni = u32At(view, at[vni]!, at[vni + 1]!, R.NDA_VNI, 'NDA_VNI');
  const port = 2 * R.NDA_PORT;
  if (at[port]! >= 0) entry.port = be16At(view, at[port]!, at[port + 1]!, R.NDA_PORT, 'NDA_PORT');
  return { kind: 'fdb', entry };
}

/** Where {@link decodeNeighbourMessage} finds the attributes it reads (every `NDA_*` it reads is below 8). */
const NEIGHBOUR_ATTRIBUTES = new Int32Array(2 * 8);
