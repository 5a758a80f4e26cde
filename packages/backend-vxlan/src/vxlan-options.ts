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
