// A wireguard lease's BackendData / BackendV6Data (pkg/backend/wireguard/wireguard.go
// wireguardLeaseAttrs): `{"PublicKey":"<base64>","Port":51820}`, fields in Go's declaration order.
import type { Lease } from '@flannel-ts/core';
import { WireguardPublicKey } from './wireguard-key.js';
import type { WireguardMode } from './wireguard-options.js';

/** What a node publishes for one family. */
export interface WireguardLeaseData {
  readonly publicKey: WireguardPublicKey;
  /** The device's listen port; 0 from old flannel means "the local listen port". */
  readonly port: number;
}

/**
 * The BackendData text flannel writes.
 *
 * @example
 * ```ts
 * encodeWireguardLeaseData({ publicKey, port: 51820 }); // '{"PublicKey":"…=","Port":51820}'
 * ```
 */
export function encodeWireguardLeaseData(data: WireguardLeaseData): string {
  return `{"PublicKey":"${data.publicKey.toString()}","Port":${data.port}}`;
}

/** The outcome of {@link decodeWireguardLeaseData}: the data, or why it is unusable. */
export type DecodedWireguardLeaseData = { readonly ok: true; readonly value: WireguardLeaseData } | { readonly ok: false; readonly reason: string };

function lookup(object: Record<string, unknown>, name: string): unknown {
  // Go's encoding/json: keys match case-insensitively, the last match wins.
  let found: unknown;
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === name.toLowerCase()) found = value;
  return found;
}

/**
 * Reads a peer's BackendData. Absent data gives no key (flannel would configure a zero key; we refuse
 * the peer). Port must be an integer 0..65535.
 *
 * @example
 * ```ts
 * decodeWireguardLeaseData('{"PublicKey":"…=","Port":51820}'); // { ok: true, value: { publicKey, port: 51820 } }
 * ```
 */
export function decodeWireguardLeaseData(text: string | undefined): DecodedWireguardLeaseData {
  if (text === undefined || text === '') return { ok: false, reason: 'it has no BackendData' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'its BackendData is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'its BackendData is not a JSON object' };
  const record = value as Record<string, unknown>;
  const keyText = lookup(record, 'PublicKey');
  if (typeof keyText !== 'string') return { ok: false, reason: 'its BackendData has no PublicKey string' };
  const publicKey = WireguardPublicKey.parse(keyText);
  if (publicKey === undefined) return { ok: false, reason: 'its PublicKey is not a base64 WireGuard key' };
  const port = lookup(record, 'Port') ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, reason: 'its Port is not an integer 0..65535' };
  return { ok: true, value: { publicKey, port } };
}

/**
 * The keys of a wireguard lease no other accepted lease may share (core's LeaseScreen `conflictKeys`), one
 * per local device the lease would give a peer to, as `wireguardLeasePeers` picks its key. WireGuard knows a
 * peer by its key on each device, so two leases with one key would take turns owning that peer's allowed-ips;
 * the first in lease order keeps it, and no remote lease may claim this node's own key. In `separate` mode a
 * family has its own device: `PublicKey <base64>` from BackendData, `IPv6 PublicKey <base64>` from
 * BackendV6Data. Other modes have one device, which takes the key of the last family present (IPv6's),
 * so the lease claims that one key as `PublicKey <base64>`: an IPv4-only lease and an IPv6-only lease
 * sharing a key collide there. Leases of another BackendType, or whose data does not decode, claim
 * nothing (the network ignores them anyway).
 *
 * @example
 * ```ts
 * wireguardConflictKeys(lease, 'separate'); // ['PublicKey BgYG…=', 'IPv6 PublicKey BwcH…=']
 * wireguardConflictKeys(lease, 'auto'); // ['PublicKey BwcH…=']
 * ```
 */
export function wireguardConflictKeys(lease: Lease, mode: WireguardMode): string[] {
  const { attributes } = lease;
  if (attributes.backendType !== 'wireguard') return [];
  const v4 = lease.subnet === undefined ? undefined : decodeWireguardLeaseData(attributes.backendData);
  const v6 = lease.ipv6Subnet === undefined ? undefined : decodeWireguardLeaseData(attributes.backendV6Data);
  if (mode === 'separate') {
    const keys: string[] = [];
    if (v4?.ok) keys.push(`PublicKey ${v4.value.publicKey.toString()}`);
    if (v6?.ok) keys.push(`IPv6 PublicKey ${v6.value.publicKey.toString()}`);
    return keys;
  }
  // One device: a lease with either family's data unusable gets no peer (wireguardLeasePeers).
  if (v4?.ok === false || v6?.ok === false) return [];
  const data = v6?.ok ? v6.value : v4?.ok ? v4.value : undefined;
  return data === undefined ? [] : [`PublicKey ${data.publicKey.toString()}`];
}
