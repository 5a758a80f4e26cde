// wireguard-go's UAPI text protocol (https://www.wireguard.com/xplatform/, wireguard-go device/uapi.go):
// `set=1` or `get=1`, then `key=value` lines, an empty line ends the request; the reply ends with
// `errno=N` and an empty line. Keys are hex here (base64 in flannel's lease). Pure: no I/O.
import type { WireguardDeviceConfig, WireguardDeviceState, WireguardPeerState } from './wireguard-device.js';
import { WireguardPublicKey } from './wireguard-key.js';

/**
 * The `set=1` request for `config`, in the order wgctrl's userspace client writes it: device keys,
 * then per peer `public_key` first, `remove=true` alone for a removal, else preshared key, endpoint,
 * keepalive, `replace_allowed_ips`, allowed IPs.
 *
 * @example
 * ```ts
 * encodeUapiSet({ listenPort: 51820, replacePeers: true });
 * // 'set=1\nlisten_port=51820\nreplace_peers=true\n\n'
 * ```
 */
export function encodeUapiSet(config: WireguardDeviceConfig): string {
  const lines = ['set=1'];
  if (config.privateKey !== undefined) lines.push(`private_key=${config.privateKey.revealHex()}`);
  if (config.listenPort !== undefined) lines.push(`listen_port=${checkedPort(config.listenPort)}`);
  if (config.replacePeers) lines.push('replace_peers=true');
  for (const peer of config.peers ?? []) {
    lines.push(`public_key=${peer.publicKey.toHex()}`);
    if (peer.remove) {
      lines.push('remove=true');
      continue;
    }
    if (peer.presharedKey !== undefined) lines.push(`preshared_key=${peer.presharedKey.revealHex()}`);
    if (peer.endpoint !== undefined) lines.push(`endpoint=${checkedLine(peer.endpoint, 'endpoint')}`);
    if (peer.persistentKeepaliveInterval !== undefined) lines.push(`persistent_keepalive_interval=${checkedKeepalive(peer.persistentKeepaliveInterval)}`);
    if (peer.replaceAllowedIPs) lines.push('replace_allowed_ips=true');
    for (const cidr of peer.allowedIPs ?? []) lines.push(`allowed_ip=${checkedLine(cidr, 'allowed IP')}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** The `get=1` request. */
export const UAPI_GET = 'get=1\n\n';

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`listen port ${port} is out of range 0..65535`);
  return port;
}

function checkedKeepalive(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 65535) throw new RangeError(`persistent keepalive ${seconds} is out of range 0..65535`);
  return seconds;
}

function checkedLine(value: string, what: string): string {
  if (/[\n=\0]/.test(value) || value === '') throw new RangeError(`${what} ${JSON.stringify(value)} cannot be sent over UAPI`);
  return value;
}

/**
 * The `errno` of a reply (`errno=0\n\n` → 0). Throws `RangeError` for a reply without one.
 *
 * @example
 * ```ts
 * decodeUapiErrno('errno=0\n\n'); // 0
 * ```
 */
export function decodeUapiErrno(reply: string): number {
  const match = /(?:^|\n)errno=(-?\d+)\n/.exec(reply);
  if (match === null) throw new RangeError('UAPI reply has no errno line');
  return Number(match[1]);
}

interface MutablePeer {
  publicKey: string;
  hasPresharedKey: boolean;
  endpoint?: string;
  persistentKeepaliveInterval: number;
  allowedIPs: string[];
  lastHandshakeTime: number;
  rxBytes: number;
  txBytes: number;
}

function hexKeyToBase64(hex: string): string {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new RangeError('UAPI key is not 64 hex digits');
  return new WireguardPublicKey(Buffer.from(hex, 'hex')).toString();
}

/**
 * Decodes a `get=1` reply. The private key line is read only to derive nothing: it is dropped. Unknown
 * keys are ignored (newer wireguard-go versions add some).
 *
 * @example
 * ```ts
 * decodeUapiGet('listen_port=51820\npublic_key=…\nallowed_ip=10.5.1.0/24\nerrno=0\n\n').peers[0]?.allowedIPs; // ['10.5.1.0/24']
 * ```
 */
export function decodeUapiGet(reply: string): WireguardDeviceState {
  let listenPort = 0;
  const peers: MutablePeer[] = [];
  let peer: MutablePeer | undefined;
  for (const line of reply.split('\n')) {
    if (line === '') continue;
    const at = line.indexOf('=');
    if (at < 0) throw new RangeError(`UAPI line without "=": ${JSON.stringify(line.slice(0, 40))}`);
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    if (key === 'public_key') {
      peer = { publicKey: hexKeyToBase64(value), hasPresharedKey: false, persistentKeepaliveInterval: 0, allowedIPs: [], lastHandshakeTime: 0, rxBytes: 0, txBytes: 0 };
      peers.push(peer);
      continue;
    }
    if (peer === undefined) {
      if (key === 'listen_port') listenPort = Number(value);
      continue;
    }
    switch (key) {
      case 'preshared_key':
        peer.hasPresharedKey = !/^0+$/.test(value);
        break;
      case 'endpoint':
        peer.endpoint = value;
        break;
      case 'persistent_keepalive_interval':
        peer.persistentKeepaliveInterval = Number(value);
        break;
      case 'allowed_ip':
        peer.allowedIPs.push(value);
        break;
      case 'last_handshake_time_sec':
        peer.lastHandshakeTime = Number(value);
        break;
      case 'rx_bytes':
        peer.rxBytes = Number(value);
        break;
      case 'tx_bytes':
        peer.txBytes = Number(value);
        break;
      default:
        break;
    }
  }
  return { listenPort, peers: peers.map((each): WireguardPeerState => ({ ...each })) };
}
