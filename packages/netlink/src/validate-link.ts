// Checks of link requests: names as `dev_valid_name` accepts them, references, creation specs with
// their kind-specific data, and `ip link set` changes.
import type { LinkRef } from './netlink.js';
import type { LinkChanges, LinkSpec } from './types.js';
import { ipOfFamily, ipWith } from './validate-ip.js';
import { unicastMac } from './validate-mac.js';
import {
  MAX_LINK_NAME_BYTES, MAX_VNI, boolean, compact, failer, index, integer, mtu, oneOf, throwPlain, type Fail,
} from './validate-rules.js';

/**
 * Checks an interface name the way the kernel's `dev_valid_name` does: 1..15 bytes, not `.` or `..`,
 * no `/`, `:` or whitespace. `%` is refused too: the kernel would treat the name as a template
 * (`flannel%d` → `flannel0`) and create a link under a different name.
 *
 * @example
 * ```ts
 * validateLinkName('flannel.1'); // 'flannel.1'
 * validateLinkName('a-name-that-is-too-long'); // throws: name "a-name-that-is-too-long" is invalid: must be 1..15 bytes
 * ```
 */
export function validateLinkName(name: string, field = 'name'): string {
  return nameWith(name, field, throwPlain);
}

function nameWith(name: string, field: string, fail: Fail): string {
  if (typeof name !== 'string') return fail(field, name, 'must be an interface name as text');
  const bytes = new TextEncoder().encode(name).length;
  if (bytes < 1 || bytes > MAX_LINK_NAME_BYTES) return fail(field, name, `must be 1..${MAX_LINK_NAME_BYTES} bytes`);
  if (name === '.' || name === '..') return fail(field, name, "must not be '.' or '..'");
  if (name.includes('/')) return fail(field, name, "must not contain '/'");
  if (name.includes(':')) return fail(field, name, "must not contain ':'");
  if (/[\s\0]/.test(name)) return fail(field, name, 'must not contain whitespace or NUL');
  if (name.includes('%')) return fail(field, name, "must not contain '%' (the kernel treats it as a name template)");
  return name;
}

/**
 * Checks a link reference: a valid name or an index 1..2^31−1.
 *
 * @example
 * ```ts
 * validateLinkRef(0, 'getLink'); // throws: link 0 is invalid: must be a link index 1..2147483647
 * ```
 */
export function validateLinkRef(ref: LinkRef, operation = 'getLink'): LinkRef {
  const fail = failer(operation, ref);
  if (typeof ref === 'number') return index(fail, 'link', ref);
  return nameWith(ref, 'link', fail);
}

function masterIndex(fail: Fail, value: unknown, allowZero: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (allowZero && value === 0) return 0;
  return index(fail, 'masterIndex', value);
}

const LINK_KINDS = new Set(['vxlan', 'bridge', 'veth', 'wireguard', 'ipip', 'tun']);

/**
 * Checks a link creation request (`ip link add`): name, MTU 68..65535, unicast MAC, and the
 * kind-specific data (VXLAN VNI 0..2^24−1, port 0..65535, TTL 0..255, local/group of one family;
 * ipip endpoints IPv4; veth peer name). Returns the normalised spec.
 *
 * @example
 * ```ts
 * validateLinkSpec({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 16777216 } });
 * // throws NetlinkInvalidArgumentError: vxlan.vni 16777216 is invalid: must be 0..16777215
 * ```
 */
export function validateLinkSpec(spec: LinkSpec, operation = 'addLink'): LinkSpec {
  const fail = failer(operation, spec);
  if (typeof spec !== 'object' || spec === null) return fail('spec', spec, 'must be an object');
  const name = nameWith(spec.name, 'name', fail);
  const common = {
    name,
    mtu: mtu(fail, 'mtu', spec.mtu),
    hardwareAddress: unicastMac(fail, 'hardwareAddress', spec.hardwareAddress),
    masterIndex: masterIndex(fail, spec.masterIndex, false),
    up: boolean(fail, 'up', spec.up),
  };
  const kind = oneOf(fail, 'kind', spec.kind, LINK_KINDS);
  switch (spec.kind) {
    case 'vxlan': {
      const v = spec.vxlan;
      if (typeof v !== 'object' || v === null) return fail('vxlan', v, 'must be an object with at least vni');
      const vni = integer(fail, 'vxlan.vni', v.vni, 0, MAX_VNI, `must be 0..${MAX_VNI}`);
      const local = v.local === undefined ? undefined : ipWith(v.local, 'vxlan.local', fail);
      const group = v.group === undefined
        ? undefined
        : ipOfFamily(fail, 'vxlan.group', v.group, local?.family, 'must be of the same family as vxlan.local');
      const vxlan = compact({
        vni,
        local: local?.address,
        group: group?.address,
        underlayIndex: v.underlayIndex === undefined ? undefined : index(fail, 'vxlan.underlayIndex', v.underlayIndex),
        port: v.port === undefined ? undefined : integer(fail, 'vxlan.port', v.port, 0, 65535, 'must be 0..65535'),
        learning: boolean(fail, 'vxlan.learning', v.learning),
        gbp: boolean(fail, 'vxlan.gbp', v.gbp),
        udpChecksum: boolean(fail, 'vxlan.udpChecksum', v.udpChecksum),
        ttl: v.ttl === undefined ? undefined : integer(fail, 'vxlan.ttl', v.ttl, 0, 255, 'must be 0..255'),
        l2miss: boolean(fail, 'vxlan.l2miss', v.l2miss),
        l3miss: boolean(fail, 'vxlan.l3miss', v.l3miss),
      });
      return compact({ ...common, kind, vxlan }) as LinkSpec;
    }
    case 'veth': {
      const peerName = nameWith(spec.peerName, 'peerName', fail);
      if (peerName === name && spec.peerNetns === undefined) return fail('peerName', peerName, 'must differ from name');
      return compact({ ...common, kind, peerName, peerNetns: spec.peerNetns }) as LinkSpec;
    }
    case 'ipip': {
      const t = spec.ipip ?? {};
      const ipip = compact({
        local: t.local === undefined ? undefined : ipOfFamily(fail, 'ipip.local', t.local, 4).address,
        remote: t.remote === undefined ? undefined : ipOfFamily(fail, 'ipip.remote', t.remote, 4).address,
        ttl: t.ttl === undefined ? undefined : integer(fail, 'ipip.ttl', t.ttl, 0, 255, 'must be 0..255'),
        pmtudisc: boolean(fail, 'ipip.pmtudisc', t.pmtudisc),
      });
      return compact({ ...common, kind, ipip }) as LinkSpec;
    }
    default:
      return compact({ ...common, kind }) as LinkSpec;
  }
}

/**
 * Checks `ip link set` changes: MTU 68..65535, unicast MAC, `masterIndex` 0 (no master) or an index.
 *
 * @example
 * ```ts
 * validateLinkChanges({ mtu: 1450, up: true }); // { mtu: 1450, up: true }
 * ```
 */
export function validateLinkChanges(changes: LinkChanges, operation = 'setLink'): LinkChanges {
  const fail = failer(operation, changes);
  if (typeof changes !== 'object' || changes === null) return fail('changes', changes, 'must be an object');
  return compact({
    up: boolean(fail, 'up', changes.up),
    mtu: mtu(fail, 'mtu', changes.mtu),
    hardwareAddress: unicastMac(fail, 'hardwareAddress', changes.hardwareAddress),
    masterIndex: masterIndex(fail, changes.masterIndex, true),
  });
}
