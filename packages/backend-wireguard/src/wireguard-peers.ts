// Per remote lease, the peer(s) flannel configures (pkg/backend/wireguard/wireguard_network.go
// handleSubnetEvents): pure, tested without devices.
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { decodeWireguardLeaseData } from './wireguard-lease-data.js';
import type { WireguardPublicKey } from './wireguard-key.js';
import type { WireguardMode } from './wireguard-options.js';

/** Which local device a peer goes to. */
export type WireguardDeviceRole = 'v4' | 'v6' | 'single';

/** One peer to configure on one device. */
export interface DesiredWireguardPeer {
  readonly role: WireguardDeviceRole;
  readonly publicKey: WireguardPublicKey;
  readonly endpoint: string;
  readonly allowedIPs: readonly string[];
}

/** The local side that decides peers. */
export interface WireguardLocal {
  readonly mode: WireguardMode;
  /** Listen port of flannel-wg (when it exists). */
  readonly listenPort?: number;
  /** Listen port of flannel-wg-v6 (separate mode with IPv6). */
  readonly listenPortV6?: number;
  /** Devices present: separate mode has v4 and/or v6, other modes one. */
  readonly hasV4Device: boolean;
  readonly hasV6Device: boolean;
  /** Local public addresses (auto mode's choice). */
  readonly publicIP?: string;
  readonly publicIPv6?: string;
}

/** The outcome for one remote lease: peers, and problems to log. */
export interface WireguardLeasePeers {
  readonly peers: readonly DesiredWireguardPeer[];
  readonly problems: readonly string[];
}

/** flannel's `IP4.IsPrivate`: 10/8, 172.16/12, 192.168/16. */
export function isPrivateIPv4(address: string): boolean {
  const [a, b] = address.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && (b & 0xf0) === 16) || (a === 192 && b === 168);
}

/** flannel's `IP6.IsPrivate`: the first byte of the address as a big integer (leading zero bytes dropped) is in fc00::/7. */
export function isPrivateIPv6(address: string): boolean {
  let value = IpNet.parseAddress(address, 6).value;
  if (value === 0n) return false;
  while (value > 0xffn) value >>= 8n;
  return (Number(value) & 0xfe) === 0xfc;
}

function selectFamily(local: WireguardLocal, remote: Lease): 4 | 6 {
  const { publicIP, publicIPv6 } = remote.attributes;
  if (publicIPv6 === undefined) return 4;
  if (!isPrivateIPv4(publicIP) && local.publicIP !== undefined) return 4;
  if (!isPrivateIPv6(publicIPv6) && local.publicIPv6 !== undefined && !isPrivateIPv6(local.publicIPv6)) return 6;
  return 4;
}

/**
 * The peers flannel would configure for `remote` (a lease of BackendType "wireguard").
 *
 * @example
 * ```ts
 * wireguardLeasePeers(lease, { mode: 'separate', listenPort: 51820, hasV4Device: true, hasV6Device: false });
 * // { peers: [{ role: 'v4', publicKey, endpoint: '192.168.1.2:51820', allowedIPs: ['10.5.2.0/24'] }], problems: [] }
 * ```
 */
export function wireguardLeasePeers(remote: Lease, local: WireguardLocal): WireguardLeasePeers {
  const problems: string[] = [];
  const hasV4 = remote.subnet !== undefined;
  const hasV6 = remote.ipv6Subnet !== undefined;
  const v4 = hasV4 ? decodeWireguardLeaseData(remote.attributes.backendData) : undefined;
  const v6 = hasV6 ? decodeWireguardLeaseData(remote.attributes.backendV6Data) : undefined;
  if (v4 !== undefined && !v4.ok) return { peers: [], problems: [`failed to unmarshal BackendData: ${v4.reason}`] };
  if (v6 !== undefined && !v6.ok) return { peers: [], problems: [`failed to unmarshal BackendV6Data: ${v6.reason}`] };
  const v4Data = v4?.ok ? v4.value : undefined;
  const v6Data = v6?.ok ? v6.value : undefined;
  // Port 0 (old flannel): the local device's listen port.
  const v4Port = v4Data?.port || (local.hasV4Device || local.mode !== 'separate' ? (local.listenPort ?? 0) : 0);
  const v6Port = v6Data?.port || (local.mode === 'separate' && local.hasV6Device ? (local.listenPortV6 ?? 0) : 0);
  const v4Endpoint = `${remote.attributes.publicIP}:${v4Port}`;
  const v6Endpoint = remote.attributes.publicIPv6 === undefined ? undefined : `[${remote.attributes.publicIPv6}]:${v6Port}`;
  const peers: DesiredWireguardPeer[] = [];
  if (local.mode === 'separate') {
    if (v4Data !== undefined) {
      if (local.hasV4Device) peers.push({ role: 'v4', publicKey: v4Data.publicKey, endpoint: v4Endpoint, allowedIPs: [remote.subnet!.toString()] });
      else problems.push('the lease has an IPv4 subnet but this node has no IPv4 device');
    }
    if (v6Data !== undefined) {
      if (!local.hasV6Device) problems.push('the lease has an IPv6 subnet but this node has no IPv6 device');
      else if (v6Endpoint === undefined) problems.push('the lease has an IPv6 subnet but no PublicIPv6');
      else peers.push({ role: 'v6', publicKey: v6Data.publicKey, endpoint: v6Endpoint, allowedIPs: [remote.ipv6Subnet!.toString()] });
    }
    return { peers, problems };
  }
  // One device for both families: flannel takes the key of the last family present (IPv6 wins).
  const data = v6Data ?? v4Data;
  if (data === undefined) return { peers, problems: ['the lease has no subnet'] };
  const family = local.mode === 'ipv4' ? 4 : local.mode === 'ipv6' ? 6 : selectFamily(local, remote);
  const endpoint = family === 4 ? v4Endpoint : v6Endpoint;
  if (endpoint === undefined) return { peers, problems: ['the lease has no PublicIPv6 for an IPv6 endpoint'] };
  const allowedIPs = [remote.subnet, remote.ipv6Subnet].filter((subnet): subnet is IpNet => subnet !== undefined).map((subnet) => subnet.toString());
  peers.push({ role: 'single', publicKey: data.publicKey, endpoint, allowedIPs });
  return { peers, problems };
}
