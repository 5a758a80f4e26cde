// IP address classes Go's net.IP methods define, as flannel uses them to pick interface addresses.
import { isIP } from 'node:net';
import { IpNet } from '@flannel-ts/core';

const V4_NOT_GLOBAL = ['0.0.0.0/32', '127.0.0.0/8', '224.0.0.0/4', '255.255.255.255/32', '169.254.0.0/16'].map((text) => IpNet.parse(text));
const V6_NOT_GLOBAL = ['::/128', '::1/128', 'ff00::/8', 'fe80::/10'].map((text) => IpNet.parse(text));
const V4_LINK_LOCAL = IpNet.parse('169.254.0.0/16');
const V6_LINK_LOCAL = IpNet.parse('fe80::/10');

/** Go's `IP.IsLinkLocalUnicast`: 169.254.0.0/16 or fe80::/10. */
export function isLinkLocalUnicast(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return V4_LINK_LOCAL.contains(address);
  if (family === 6) return V6_LINK_LOCAL.contains(address);
  return false;
}

/** Go's `IP.IsGlobalUnicast`: not unspecified, loopback, multicast, link-local or IPv4 broadcast. */
export function isGlobalUnicast(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !V4_NOT_GLOBAL.some((net) => net.contains(address));
  if (family === 6) return !V6_NOT_GLOBAL.some((net) => net.contains(address));
  return false;
}

/** The canonical text of an address (`2001:DB8:0::1` → `2001:db8::1`), or `undefined` if not one. */
export function canonicalIp(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  return IpNet.parse(`${address}/${family === 4 ? 32 : 128}`).address;
}
