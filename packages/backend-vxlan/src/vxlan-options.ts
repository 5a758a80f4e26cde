import { backendBooleanOption, backendIntegerOption, FlannelError } from '@flannel-ts/core';
import type { NetworkConfig } from '@flannel-ts/core';

/** The highest VXLAN network identifier (24 bits). */
export const MAX_VNI = 0xff_ff_ff;

/** Bytes VXLAN adds to every packet (flannel's `encapOverhead`): outer IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14. */
export const VXLAN_OVERHEAD = 50;

/**
 * Headroom the kernel reserves on a VXLAN device over an IPv6 underlay (`VXLAN6_HEADROOM`): it caps
 * `flannel-v6.<VNI>` at underlay MTU − 70, so that device is created with that MTU.
 */
export const VXLAN6_OVERHEAD = 70;

/**
 * The vxlan backend's options (flannel's `VXLANConfig`), with defaults resolved.
 */
export interface VxlanOptions {
  /** `VNI`, default 1. */
  readonly vni: number;
  /** `Port`: UDP destination port; 0 (default) lets the kernel choose (8472 on Linux). */
  readonly port: number;
  /** `GBP`: VXLAN Group Based Policy extension. */
  readonly gbp: boolean;
  /** `Learning`: let the kernel learn remote MACs from received packets. */
  readonly learning: boolean;
  /** `MTU` of the underlay to assume; 0 (default) means the external interface's MTU. */
  readonly mtu: number;
  /** `DirectRouting`: route (not encapsulate) to hosts on the same L2 segment. */
  readonly directRouting: boolean;
}

/**
 * Parses the `Backend` object of a vxlan network config. Keys match case-insensitively, as flannel's
 * JSON decoding does; unknown keys (`Type`, Windows-only `MacPrefix`) are ignored.
 * Throws `FlannelError` `CONFIG_INVALID` naming the field, the value and the rule.
 *
 * @example
 * ```ts
 * parseVxlanOptions({ Type: 'vxlan', vni: 4, DirectRouting: true });
 * // { vni: 4, port: 0, gbp: false, learning: false, mtu: 0, directRouting: true }
 * parseVxlanOptions({ VNI: -1 }); // throws "Backend.VNI -1 is invalid: must be an integer 0..16777215"
 * ```
 */
export function parseVxlanOptions(backend: NetworkConfig['backend']): VxlanOptions {
  const config = { backend };
  const mtu = backendIntegerOption(config, 'MTU', 0, { min: 0, max: 65_535 });
  if (mtu !== 0 && mtu - VXLAN_OVERHEAD < 68) {
    throw new FlannelError(
      'CONFIG_INVALID',
      `Backend.MTU ${mtu} is invalid: must be 0 (the interface MTU) or at least ${68 + VXLAN_OVERHEAD}, leaving 68 bytes after the ${VXLAN_OVERHEAD}-byte VXLAN overhead`,
    );
  }
  return {
    vni: backendIntegerOption(config, 'VNI', 1, { min: 0, max: MAX_VNI }),
    port: backendIntegerOption(config, 'Port', 0, { min: 0, max: 65_535 }),
    gbp: backendBooleanOption(config, 'GBP', false),
    learning: backendBooleanOption(config, 'Learning', false),
    mtu,
    directRouting: backendBooleanOption(config, 'DirectRouting', false),
  };
}

/** IPv6's minimum link MTU (RFC 8200): the kernel refuses IPv6 on a device below it. */
const IPV6_MIN_MTU = 1280;

/**
 * The checks of {@link parseVxlanOptions} plus those that need the whole config: with `EnableIPv6`, an
 * explicit `MTU` must leave IPv6's 1280 bytes on `flannel-v6.<VNI>` after the 70-byte headroom (the backend
 * refuses it at start-up otherwise; this lets `flannel-ts config check` say so first). Throws `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * checkVxlanConfig({ enableIPv6: true, backend: { Type: 'vxlan', MTU: 1300 } });
 * // throws "Backend.MTU 1300 is invalid: must be 0 (the interface MTU) or at least 1350 with EnableIPv6, …"
 * ```
 */
export function checkVxlanConfig(config: Pick<NetworkConfig, 'backend' | 'enableIPv6'>): VxlanOptions {
  const options = parseVxlanOptions(config.backend);
  if (config.enableIPv6 && options.mtu !== 0 && options.mtu - VXLAN6_OVERHEAD < IPV6_MIN_MTU) {
    throw new FlannelError(
      'CONFIG_INVALID',
      `Backend.MTU ${options.mtu} is invalid: must be 0 (the interface MTU) or at least ${IPV6_MIN_MTU + VXLAN6_OVERHEAD} with EnableIPv6, leaving IPv6's ${IPV6_MIN_MTU} bytes after the ${VXLAN6_OVERHEAD}-byte headroom of flannel-v6`,
    );
  }
  return options;
}
