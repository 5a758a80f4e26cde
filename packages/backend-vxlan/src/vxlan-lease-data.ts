import type { Lease } from '@flannel-ts/core';
import { normaliseMac } from './vtep-mac.js';

/** What a vxlan lease publishes in `BackendData` / `BackendV6Data`. */
export interface VxlanLeaseData {
  /** `VNI` as the remote configured it (flannel does not compare it). */
  readonly vni: number;
  /** `VtepMAC`: the MAC of the remote's `flannel.<VNI>` (or `flannel-v6.<VNI>`), lower-case. */
  readonly vtepMac: string;
}

/**
 * Writes `BackendData` exactly as flannel does: `{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}`.
 *
 * @example
 * ```ts
 * encodeVxlanLeaseData({ vni: 1, vtepMac: 'aa:bb:cc:dd:ee:ff' }); // '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}'
 * ```
 */
export function encodeVxlanLeaseData(data: VxlanLeaseData): string {
  return JSON.stringify({ VNI: data.vni, VtepMAC: data.vtepMac });
}

/**
 * Reads `BackendData` of a remote vxlan lease. Keys match case-insensitively (Go JSON). Returns an
 * error text (naming the field, value and rule) instead of throwing, since bad remote data must only
 * make that one lease ignored.
 *
 * @example
 * ```ts
 * decodeVxlanLeaseData('{"VNI":1,"VtepMAC":"AA:BB:CC:DD:EE:FF"}');
 * // { ok: true, value: { vni: 1, vtepMac: 'aa:bb:cc:dd:ee:ff' } }
 * ```
 */
export function decodeVxlanLeaseData(
  text: string | undefined,
): { readonly ok: true; readonly value: VxlanLeaseData } | { readonly ok: false; readonly error: string } {
  if (text === undefined) return { ok: false, error: 'BackendData is missing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: `BackendData ${truncate(text)} is invalid: not JSON` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: `BackendData ${truncate(text)} is invalid: must be a JSON object` };
  }
  let vni: unknown;
  let mac: unknown;
  const object = parsed as Record<string, unknown>;
  for (const key in object) {
    const name = key.toLowerCase();
    if (name === 'vni') vni = object[key];
    else if (name === 'vtepmac') mac = object[key];
  }
  const vtepMac = typeof mac === 'string' ? normaliseMac(mac) : undefined;
  if (vtepMac === undefined) {
    return { ok: false, error: `BackendData.VtepMAC ${truncate(JSON.stringify(mac) ?? 'undefined')} is invalid: must be a MAC address` };
  }
  if ((parseInt(vtepMac.slice(0, 2), 16) & 1) === 1) {
    return { ok: false, error: `BackendData.VtepMAC ${JSON.stringify(mac)} is invalid: must be a unicast MAC address` };
  }
  if (vtepMac === ZERO_MAC) {
    // The kernel refuses an FDB entry for it (EOPNOTSUPP): refuse it here, once, naming the field.
    return { ok: false, error: `BackendData.VtepMAC ${JSON.stringify(mac)} is invalid: must not be the zero MAC address` };
  }
  return { ok: true, value: { vni: typeof vni === 'number' && Number.isInteger(vni) ? vni : 0, vtepMac } };
}

const ZERO_MAC = '00:00:00:00:00:00';

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The keys a vxlan lease claims besides its subnets, for core's `LeaseScreen`: its VtepMAC per family
 * (`VtepMAC 0e:2a:00:00:00:01`, `IPv6 VtepMAC …`). The FDB holds one entry per MAC, so two leases that
 * publish one MAC would take it from each other; the first in lease order keeps it. Leases of another
 * type, or whose MAC does not decode, claim nothing (the pass ignores them anyway).
 *
 * @example
 * ```ts
 * vxlanConflictKeys(lease); // ['VtepMAC 0e:2a:00:00:00:01']
 * ```
 */
export function vxlanConflictKeys(lease: Lease): string[] {
  const { attributes } = lease;
  if (attributes.backendType !== 'vxlan') return [];
  const keys: string[] = [];
  if (lease.subnet !== undefined) {
    const mac = vtepMacOf(attributes.backendData);
    if (mac !== undefined) keys.push(`VtepMAC ${mac}`);
  }
  if (lease.ipv6Subnet !== undefined) {
    const mac = vtepMacOf(attributes.backendV6Data);
    if (mac !== undefined) keys.push(`IPv6 VtepMAC ${mac}`);
  }
  return keys;
}

function vtepMacOf(text: string | undefined): string | undefined {
  const data = decodeVxlanLeaseData(text);
  return data.ok ? data.value.vtepMac : undefined;
}
