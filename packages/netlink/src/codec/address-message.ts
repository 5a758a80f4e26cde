// RTM_*ADDR requests and replies.
import type { Address } from '../types.js';
import { attributeMap, decodeAttributes } from './attributes.js';
import { AF_INET, AF_INET6 } from './constants-netlink.js';
import { IFA_ADDRESS, IFA_F_PERMANENT, IFA_FLAGS, IFA_LABEL, IFA_LOCAL } from './constants-route.js';
import { addressHeader } from './family-headers.js';
import type { MessageWriter } from './message-writer.js';
import { SCOPE_NUMBERS, scopeName } from './scopes.js';
import { readIp, readString, readU32 } from './values.js';

/** `AF_INET`/`AF_INET6` of a family number 4/6. */
export const afOf = (family: 4 | 6): number => (family === 4 ? AF_INET : AF_INET6);

/**
 * Writes the body of an `RTM_NEWADDR`/`RTM_DELADDR` (`ip addr add|del <a>/<n> dev <i> [label L]`): `ifaddrmsg`,
 * `IFA_LOCAL` and `IFA_ADDRESS` (both the address, as `ip` sends for a non-peer address), `IFA_LABEL`.
 */
export function writeAddress(w: MessageWriter, address: Address): void {
  w.struct(addressHeader, {
    family: afOf(address.family),
    prefixLength: address.prefixLength,
    flags: 0,
    scope: SCOPE_NUMBERS[address.scope ?? 'universe'],
    index: address.index,
  });
  w.ip(IFA_LOCAL, address.address);
  w.ip(IFA_ADDRESS, address.address);
  if (address.label !== undefined && address.family === 4) w.string(IFA_LABEL, address.label);
}

/** Writes the body of an `RTM_GETADDR` dump of `family` (0 = both). */
export function writeAddressDump(w: MessageWriter, family: number): void {
  w.struct(addressHeader, { family, prefixLength: 0, flags: 0, scope: 0, index: 0 });
}

/** The typed {@link Address} of an `RTM_NEWADDR` payload, or `undefined` for families other than IPv4/IPv6. */
export function decodeAddress(payload: Uint8Array): Address | undefined {
  const { value: header, consumed } = addressHeader.decode(payload);
  if (header.family !== AF_INET && header.family !== AF_INET6) return undefined;
  const a = attributeMap(decodeAttributes(payload, consumed));
  const ip = a.get(IFA_LOCAL) ?? a.get(IFA_ADDRESS);
  if (!ip) throw new RangeError(`RTM_NEWADDR on index ${header.index}: neither IFA_LOCAL nor IFA_ADDRESS is present`);
  const label = a.get(IFA_LABEL);
  const flagsAttribute = a.get(IFA_FLAGS);
  const flags = flagsAttribute ? readU32(flagsAttribute, 'IFA_FLAGS') : header.flags;
  return {
    family: header.family === AF_INET ? 4 : 6,
    index: header.index,
    address: readIp(ip),
    prefixLength: header.prefixLength,
    scope: scopeName(header.scope),
    ...(label ? { label: readString(label) } : {}),
    dynamic: (flags & IFA_F_PERMANENT) === 0,
  };
}
