// The kernel objects of the vxlan backend: the flannel.<VNI> / flannel-v6.<VNI> device and its address.
import { FlannelError, IpNet } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import type { Family, Link, LinkSpec, Netlink, VxlanAttributes } from '@flannel-ts/netlink';

/** The netlink operations the device code needs. */
export type VxlanDeviceNetlink = Pick<
  Netlink,
  'findLink' | 'addLink' | 'deleteLink' | 'setLink' | 'listAddresses' | 'addAddress' | 'deleteAddress'
>;

/** Longest interface name the kernel accepts (`IFNAMSIZ` − 1). */
export const MAX_LINK_NAME_LENGTH = 15;

/**
 * The device name flannel uses: `flannel.<VNI>` for IPv4, `flannel-v6.<VNI>` for IPv6.
 *
 * @example
 * ```ts
 * vxlanDeviceName(1, 4); // 'flannel.1'
 * vxlanDeviceName(1, 6); // 'flannel-v6.1'
 * ```
 */
export function vxlanDeviceName(vni: number, family: Family): string {
  return family === 4 ? `flannel.${vni}` : `flannel-v6.${vni}`;
}

/** Everything that defines a vxlan device flannel creates. */
export interface VxlanDeviceSpec {
  readonly name: string;
  readonly family: Family;
  /** VTEP MAC. */
  readonly hardwareAddress: string;
  readonly mtu: number;
  readonly vxlan: VxlanAttributes;
}

/**
 * The `ip link add` request for a spec.
 *
 * `ip link add flannel.1 address <mac> mtu 1450 type vxlan id 1 local <ip> dev eth0 dstport 0 nolearning`
 */
export function vxlanLinkSpec(spec: VxlanDeviceSpec): LinkSpec {
  return { kind: 'vxlan', name: spec.name, mtu: spec.mtu, hardwareAddress: spec.hardwareAddress, vxlan: spec.vxlan };
}

/**
 * Why an existing link cannot be reused for `spec`, or `undefined` when it can (flannel's
 * `isVxlanCompatible`): another link kind, another VNI, another underlay device or local address
 * (when both are set), a multicast group, L2-miss notifications, another port (when both are set), or
 * another GBP setting. MTU, MAC, learning and state are fixed in place instead.
 *
 * @example
 * ```ts
 * vxlanIncompatibility({ ...link, vxlan: { vni: 2 } }, spec); // 'VNI 2 differs from 1'
 * ```
 */
export function vxlanIncompatibility(existing: Link, spec: VxlanDeviceSpec): string | undefined {
  if (existing.kind !== 'vxlan' || existing.vxlan === undefined) return `it is a ${existing.kind ?? 'plain'} device, not vxlan`;
  const have = existing.vxlan;
  const want = spec.vxlan;
  if (have.vni !== want.vni) return `VNI ${have.vni} differs from ${want.vni}`;
  if ((have.underlayIndex ?? 0) > 0 && (want.underlayIndex ?? 0) > 0 && have.underlayIndex !== want.underlayIndex) {
    return `underlay device index ${have.underlayIndex} differs from ${want.underlayIndex}`;
  }
  if (have.local !== undefined && want.local !== undefined && !sameAddress(have.local, want.local)) {
    return `local address ${have.local} differs from ${want.local}`;
  }
  if ((have.group ?? '') !== (want.group ?? '') && !(have.group !== undefined && want.group !== undefined && sameAddress(have.group, want.group))) {
    return `group ${have.group ?? 'none'} differs from ${want.group ?? 'none'}`;
  }
  if ((have.l2miss ?? false) !== (want.l2miss ?? false)) return `l2miss ${have.l2miss ?? false} differs from ${want.l2miss ?? false}`;
  if ((have.port ?? 0) > 0 && (want.port ?? 0) > 0 && have.port !== want.port) return `port ${have.port} differs from ${want.port}`;
  if ((have.gbp ?? false) !== (want.gbp ?? false)) return `gbp ${have.gbp ?? false} differs from ${want.gbp ?? false}`;
  return undefined;
}

/** Result of {@link ensureVxlanDevice}. */
export interface EnsuredVxlanDevice {
  readonly link: Link;
  /** True when this call created the link (so a failed registration must delete it). */
  readonly created: boolean;
}

/**
 * Creates the device, or adopts an existing compatible one (fixing MTU and MAC in place), or deletes an
 * incompatible one and creates it anew. `hardwareAddress` of the spec may be `undefined` on adoption:
 * the existing device's MAC is then kept; pass `fallbackMac` for creation.
 */
export async function ensureVxlanDevice(
  netlink: VxlanDeviceNetlink,
  spec: Omit<VxlanDeviceSpec, 'hardwareAddress'> & { readonly hardwareAddress: string | undefined },
  options: {
    readonly fallbackMac: () => string;
    readonly logger: Logger;
    /** Log a reused device at debug level (periodic checks) instead of info. */
    readonly quiet?: boolean;
  },
): Promise<EnsuredVxlanDevice> {
  const existing = await netlink.findLink(spec.name);
  if (existing !== undefined) {
    const reason = vxlanIncompatibility(existing, { ...spec, hardwareAddress: spec.hardwareAddress ?? '' });
    if (reason === undefined) {
      options.logger[options.quiet === true ? 'debug' : 'info']({ device: spec.name, index: existing.index }, `reusing existing vxlan device ${spec.name}`);
      let link: Link = existing;
      if (spec.hardwareAddress !== undefined && existing.hardwareAddress?.toLowerCase() !== spec.hardwareAddress) {
        await netlink.setLink(existing.index, { hardwareAddress: spec.hardwareAddress });
        link = { ...link, hardwareAddress: spec.hardwareAddress };
      }
      // MTU drift is corrected on adoption only: periodic checks must not fight an operator's choice.
      if (options.quiet !== true && existing.mtu !== spec.mtu) {
        try {
          await netlink.setLink(existing.index, { mtu: spec.mtu });
          link = { ...link, mtu: spec.mtu };
        } catch (error) {
          options.logger.warn({ device: spec.name, mtu: spec.mtu, err: error }, `could not set the MTU of ${spec.name} to ${spec.mtu}; keeping ${existing.mtu}`);
        }
      }
      if (link.hardwareAddress === undefined) throw deviceError(spec.name, 'has no hardware address');
      return { link, created: false };
    }
    options.logger.warn({ device: spec.name, reason }, `${spec.name} is incompatible (${reason}); recreating it`);
    await netlink.deleteLink(existing.index);
  }
  const full: VxlanDeviceSpec = { ...spec, hardwareAddress: spec.hardwareAddress ?? options.fallbackMac() };
  try {
    const link = await netlink.addLink(vxlanLinkSpec(full));
    options.logger.info({ device: spec.name, index: link.index, mac: full.hardwareAddress }, `created vxlan device ${spec.name}`);
    return { link: { ...link, hardwareAddress: link.hardwareAddress ?? full.hardwareAddress }, created: true };
  } catch (error) {
    throw deviceError(spec.name, `could not be created: ${(error as Error).message}`, error);
  }
}

/**
 * Puts `address` (the lease subnet's network address as `/32` or `/128`) on the device and removes
 * the device's other addresses: for IPv4 those inside the flannel `network` (flannel's
 * `EnsureV4AddressOnLink`), for IPv6 every non-link-local one (`EnsureV6AddressOnLink`). Then sets it up.
 *
 * `ip addr add 10.5.72.0/32 dev flannel.1 && ip link set flannel.1 up`
 */
export async function configureVxlanDevice(
  netlink: VxlanDeviceNetlink,
  link: Pick<Link, 'index' | 'name' | 'up'>,
  address: IpNet,
  network: IpNet | undefined,
): Promise<void> {
  const family = address.family;
  const current = await netlink.listAddresses({ family, index: link.index });
  let present = false;
  for (const entry of current) {
    if (entry.index !== link.index || entry.family !== family) continue;
    const same = sameAddress(entry.address, address.address) && entry.prefixLength === address.prefixLength;
    if (same) {
      present = true;
      continue;
    }
    const stale = family === 4 ? network?.contains(entry.address) === true : !isLinkLocal6(entry.address);
    if (stale) await netlink.deleteAddress(entry);
  }
  if (!present) {
    await netlink.addAddress({ family, index: link.index, address: address.address, prefixLength: address.prefixLength });
  }
  if (!link.up) await netlink.setLink(link.index, { up: true });
}

function isLinkLocal6(address: string): boolean {
  try {
    return IpNet.parse('fe80::/10').contains(address);
  } catch {
    return false;
  }
}

function sameAddress(a: string, b: string): boolean {
  try {
    return IpNet.canonicalAddress(a) === IpNet.canonicalAddress(b);
  } catch {
    return a === b;
  }
}

function deviceError(name: string, text: string, cause?: unknown): FlannelError {
  const retryable = typeof cause === 'object' && cause !== null && (cause as { isRetryable?: unknown }).isRetryable === true;
  return new FlannelError('BACKEND_FAILED', `vxlan device ${name} ${text}`, { cause, isRetryable: retryable });
}
