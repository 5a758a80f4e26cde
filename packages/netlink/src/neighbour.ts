// Neighbour (`ip neigh …`) and FDB (`bridge fdb …`) operations.
import { afOf } from './codec/address-message.js';
import * as N from './codec/constants-netlink.js';
import { decodeNeighbourMessage, writeFdbEntry, writeNeighbour, writeNeighbourDump } from './codec/neighbour-message.js';
import type { ListFilter, VisitedFilter } from './netlink.js';
import type { NetlinkSocket } from './socket/netlink-socket.js';
import { ValueRequest, requestAck, requestDump, type AckRequest } from './socket/requests.js';
import type { FdbEntry, Neighbour } from './types.js';
import { validateFdbEntryForRequest, validateNeighbourForRequest } from './validate.js';

/**
 * `ip neigh show [dev <i>]`: ARP/NDP entries (no FDB). With `filter.visit`, each entry goes to it as it is
 * decoded and the list resolves to `[]`.
 */
export async function listNeighbours(socket: NetlinkSocket, filter: VisitedFilter<ListFilter, Neighbour> = {}): Promise<Neighbour[]> {
  const families = filter.family ? [filter.family] : ([4, 6] as const);
  const { visit } = filter;
  const result: Neighbour[] = [];
  for (const family of families) {
    // Decoded as the dump is read: no list of 15,000 messages waits for the last one.
    const neighbours = await requestDump(socket, 'listNeighbours', N.RTM_GETNEIGH, (writer) => writeNeighbourDump(writer, afOf(family)), 0, (m) => {
      if (m.header.type !== N.RTM_NEWNEIGH) return undefined;
      const decoded = decodeNeighbourMessage(m.payload);
      if (decoded?.kind !== 'neighbour' || decoded.neighbour.family !== family) return undefined;
      if (filter.index !== undefined && decoded.neighbour.index !== filter.index) return undefined;
      if (visit === undefined) return decoded.neighbour;
      visit.entry(decoded.neighbour);
      return undefined;
    }, visit && (() => visit.restart()));
    if (families.length === 1) return neighbours;
    for (const neighbour of neighbours) result.push(neighbour);
  }
  return result;
}

/** `bridge fdb show [dev <i>]`; with `filter.visit`, each entry goes to it as it is decoded and the list resolves to `[]`. */
export async function listFdb(socket: NetlinkSocket, filter: VisitedFilter<{ readonly index?: number }, FdbEntry> = {}): Promise<FdbEntry[]> {
  const { visit } = filter;
  // Decoded as the dump is read: no list of 15,000 messages waits for the last one.
  return requestDump(socket, 'listFdb', N.RTM_GETNEIGH, (writer) => writeNeighbourDump(writer, N.AF_BRIDGE), 0, (m): FdbEntry | undefined => {
    if (m.header.type !== N.RTM_NEWNEIGH) return undefined;
    const decoded = decodeNeighbourMessage(m.payload);
    if (decoded?.kind !== 'fdb') return undefined;
    if (filter.index !== undefined && decoded.entry.index !== filter.index) return undefined;
    if (visit === undefined) return decoded.entry;
    visit.entry(decoded.entry);
    return undefined;
  }, visit && (() => visit.restart()));
}

/** The request of `ip neigh replace|del …` (validated; throws `NetlinkInvalidArgumentError`). */
export function neighbourRequest(operation: 'replaceNeighbour' | 'deleteNeighbour', neighbour: Neighbour): AckRequest {
  const valid = validateNeighbourForRequest(neighbour, operation);
  return operation === 'replaceNeighbour'
    ? new ValueRequest(operation, N.RTM_NEWNEIGH, N.NLM_F_CREATE | N.NLM_F_REPLACE, neighbour, valid, writeNeighbour, false)
    : new ValueRequest(operation, N.RTM_DELNEIGH, 0, neighbour, valid, writeNeighbour, true);
}

/** The request of `bridge fdb replace|del …` (validated; throws `NetlinkInvalidArgumentError`). */
export function fdbRequest(operation: 'replaceFdb' | 'deleteFdb', entry: FdbEntry): AckRequest {
  const valid = validateFdbEntryForRequest(entry, operation);
  return operation === 'replaceFdb'
    ? new ValueRequest(operation, N.RTM_NEWNEIGH, N.NLM_F_CREATE | N.NLM_F_REPLACE, entry, valid, writeFdbEntry, false)
    : new ValueRequest(operation, N.RTM_DELNEIGH, 0, entry, valid, writeFdbEntry, true);
}

/** `ip neigh replace <ip> dev <i> lladdr <mac> nud permanent` */
export async function replaceNeighbour(socket: NetlinkSocket, neighbour: Neighbour): Promise<void> {
  await requestAck(socket, neighbourRequest('replaceNeighbour', neighbour));
}

/** `ip neigh del <ip> dev <i>` */
export async function deleteNeighbour(socket: NetlinkSocket, neighbour: Neighbour): Promise<void> {
  await requestAck(socket, neighbourRequest('deleteNeighbour', neighbour));
}

/** `bridge fdb replace <mac> dev <i> self dst <ip> permanent` */
export async function replaceFdb(socket: NetlinkSocket, entry: FdbEntry): Promise<void> {
  await requestAck(socket, fdbRequest('replaceFdb', entry));
}

/** `bridge fdb del <mac> dev <i> self dst <ip>` */
export async function deleteFdb(socket: NetlinkSocket, entry: FdbEntry): Promise<void> {
  await requestAck(socket, fdbRequest('deleteFdb', entry));
}
