// The wireguard backend's config keys and defaults (pkg/backend/wireguard/wireguard.go RegisterNetwork),
// matched case-insensitively as Go's encoding/json matches struct fields.
import { backendIntegerOption, backendOption, backendStringOption, FlannelError } from '@flannel-ts/core';
import type { NetworkConfig } from '@flannel-ts/core';
import { WireguardSecretKey } from './wireguard-key.js';

/** How devices and endpoints are laid out over IPv4 and IPv6 (`Mode`). */
export type WireguardMode = 'separate' | 'auto' | 'ipv4' | 'ipv6';

/** The parsed options. */
export interface WireguardOptions {
  /** `ListenPort`, default 51820. */
  readonly listenPort: number;
  /** `ListenPortV6`, default 51821. */
  readonly listenPortV6: number;
  /** `MTU`: the underlay MTU the device MTU derives from (minus 80); default the interface MTU. */
  readonly mtu?: number;
  /** `PSK`: a base64 key, or none. */
  readonly presharedKey?: WireguardSecretKey;
  /** `PersistentKeepaliveInterval` in seconds (a JSON integer; flannel multiplies it by time.Second). */
  readonly persistentKeepaliveInterval: number;
  /** `Mode`, default `separate`. */
  readonly mode: WireguardMode;
}

const MODES: readonly WireguardMode[] = ['separate', 'auto', 'ipv4', 'ipv6'];

/**
 * Reads the wireguard options from the config's `Backend` section (and `EnableIPv6`, which raises the least
 * `MTU`). Throws `CONFIG_INVALID` naming the key and the rule; the PSK's value never appears in a message.
 *
 * @example
 * ```ts
 * parseWireguardOptions(config); // { listenPort: 51820, listenPortV6: 51821, persistentKeepaliveInterval: 0, mode: 'separate' }
 * ```
 */
export function parseWireguardOptions(config: Pick<NetworkConfig, 'backend'> & Partial<Pick<NetworkConfig, 'enableIPv6'>>): WireguardOptions {
  const listenPort = backendIntegerOption(config, 'ListenPort', 51820, { min: 0, max: 65535 });
  const listenPortV6 = backendIntegerOption(config, 'ListenPortV6', 51821, { min: 0, max: 65535 });
  const mtuValue = backendOption(config, 'MTU');
  const mtu = mtuValue === undefined ? undefined : backendIntegerOption(config, 'MTU', 0, { min: 68 + 80, max: 65535 });
  // With IPv6 the device carries IPv6 addresses, which the kernel refuses on a link under 1280 bytes: the
  // device would be created and its address fail.
  if (mtu !== undefined && config.enableIPv6 === true && mtu - 80 < 1280) {
    throw new FlannelError('CONFIG_INVALID', `Backend.MTU ${mtu} is invalid: must be at least ${1280 + 80} with EnableIPv6, leaving IPv6's 1280 bytes after the 80-byte WireGuard overhead`);
  }
  // time.Duration from a JSON number: an integer count (nanoseconds, then × time.Second); a string is a decode error.
  const keepalive = backendIntegerOption(config, 'PersistentKeepaliveInterval', 0, { min: 0, max: 65535 });
  const mode = backendStringOption(config, 'Mode', 'separate');
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new FlannelError('CONFIG_INVALID', `Backend.Mode ${JSON.stringify(mode)} is invalid: no valid Mode configured (must be one of ${MODES.join(', ')})`);
  }
  const pskText = backendStringOption(config, 'PSK', '', { secret: true });
  let presharedKey: WireguardSecretKey | undefined;
  if (pskText !== '') {
    presharedKey = WireguardSecretKey.parse(pskText);
    if (presharedKey === undefined) throw new FlannelError('CONFIG_INVALID', 'Backend.PSK is invalid: must be a base64 WireGuard key (32 bytes, as wg genpsk writes)');
  }
  return {
    listenPort,
    listenPortV6,
    ...(mtu === undefined ? {} : { mtu }),
    ...(presharedKey === undefined ? {} : { presharedKey }),
    persistentKeepaliveInterval: keepalive,
    mode: mode as WireguardMode,
  };
}
