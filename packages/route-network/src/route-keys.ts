// The one way flannel-ts backends compare route destinations and gateways across the text the kernel
// lists and the text a lease gives: canonical CIDR and address text.
import { IpNet } from '@flannel-ts/core';

/**
 * A destination CIDR in canonical form (`10.5.34.0/24`, host bits cleared, IPv6 compressed), or the
 * text itself when it does not parse (it then matches only itself).
 *
 * @example
 * ```ts
 * routeDestinationKey('10.5.34.7/24'); // '10.5.34.0/24'
 * routeDestinationKey('FD00:0:0:34::/64'); // 'fd00:0:0:34::/64'
 * ```
 */
export function routeDestinationKey(destination: string): string {
  // A kernel-listed IPv4 destination is canonical unless host bits are set, which only a parse can tell.
  if (CANONICAL_IPV4_NET.test(destination) && hostBitsClear(destination)) return destination;
  return tryParseNet(destination)?.toString() ?? destination;
}

/**
 * An address in canonical form (`fd00::2`), `''` for none, or the text in lower case when it does not parse.
 *
 * @example
 * ```ts
 * routeAddressKey('FD00:0::2'); // 'fd00::2'
 * ```
 */
export function routeAddressKey(address: string | undefined): string {
  if (address === undefined) return '';
  if (CANONICAL_IPV4.test(address)) return address;
  try {
    return IpNet.canonicalAddress(address);
  } catch {
    return address.toLowerCase();
  }
}

/**
 * Parses a CIDR, `undefined` when it does not parse (kernel listings and leases are read, never trusted).
 *
 * @example
 * ```ts
 * tryParseNet('10.5.0.0/16')?.prefixLength; // 16
 * tryParseNet('nonsense'); // undefined
 * ```
 */
export function tryParseNet(text: string): IpNet | undefined {
  try {
    return IpNet.parse(text);
  } catch {
    return undefined;
  }
}

/** A dotted quad without leading zeros: already canonical. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** The same with a prefix length 0–32. */
const CANONICAL_IPV4_NET = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(?:3[0-2]|[12]?\d)$/;

/** For text `CANONICAL_IPV4_NET` accepts; read in place (it runs for every route of a kernel dump). */
function hostBitsClear(net: string): boolean {
  let value = 0;
  let octet = 0;
  let at = 0;
  for (; at < net.length; at++) {
    const code = net.charCodeAt(at);
    if (code === 46 || code === 47) {
      value = value * 256 + octet;
      octet = 0;
      if (code === 47) break;
    } else {
      octet = octet * 10 + (code - 48);
    }
  }
  let length = 0;
  for (at += 1; at < net.length; at++) length = length * 10 + (net.charCodeAt(at) - 48);
  return length === 32 || value % 2 ** (32 - length) === 0;
}
