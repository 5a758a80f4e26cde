// Address operations (`ip addr …`).
import { decodeAddress, writeAddress, writeAddressDump, afOf } from './codec/address-message.js';
import * as N from './codec/constants-netlink.js';
import type { ListFilter } from './netlink.js';
import type { NetlinkSocket } from './socket/netlink-socket.js';
import { ValueRequest, requestAck, requestDump, type AckRequest } from './socket/requests.js';
import type { Address } from './types.js';
import { validateAddress } from './validate.js';

/** `ip addr show [dev <i>]` (`-4`/`-6` through `filter.family`). */
export async function listAddresses(socket: NetlinkSocket, filter: ListFilter = {}): Promise<Address[]> {
  const family = filter.family ? afOf(filter.family) : N.AF_UNSPEC;
  const messages = await requestDump(socket, 'listAddresses', N.RTM_GETADDR, (writer) => writeAddressDump(writer, family));
  const result: Address[] = [];
  for (const m of messages) {
    if (m.header.type !== N.RTM_NEWADDR) continue;
    const address = decodeAddress(m.payload);
    if (!address) continue;
    if (filter.family && address.family !== filter.family) continue;
    if (filter.index !== undefined && address.index !== filter.index) continue;
    result.push(address);
  }
  return result;
}

/** The request of `ip addr add|del <a>/<n> dev <i>` (validated; throws `NetlinkInvalidArgumentError`). */
export function addressRequest(operation: 'addAddress' | 'deleteAddress', address: Address): AckRequest {
  const valid = validateAddress(address, operation);
  return operation === 'addAddress'
    ? new ValueRequest(operation, N.RTM_NEWADDR, N.NLM_F_CREATE | N.NLM_F_EXCL, address, valid, writeAddress, false)
    : new ValueRequest(operation, N.RTM_DELADDR, 0, address, valid, writeAddress, false);
}

/** `ip addr add <a>/<n> dev <i>`; rejects `EEXIST` if present. */
export async function addAddress(socket: NetlinkSocket, address: Address): Promise<void> {
  await requestAck(socket, addressRequest('addAddress', address));
}

/** `ip addr del <a>/<n> dev <i>` */
export async function deleteAddress(socket: NetlinkSocket, address: Address): Promise<void> {
  await requestAck(socket, addressRequest('deleteAddress', address));
}
