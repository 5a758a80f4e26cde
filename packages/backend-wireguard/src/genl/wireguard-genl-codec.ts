// Pure codecs of the kernel WireGuard generic netlink messages (include/uapi/linux/wireguard.h): the
// payload after `nlmsghdr` — `genlmsghdr` then attributes. The transport adds `nlmsghdr` with the
// family id it resolved (CTRL_CMD_GETFAMILY "wireguard"). Nested lists (peers, allowed IPs) are
// entries of type 0 with NLA_F_NESTED, as wgctrl writes them.
import { decodeAttributes, MessageWriter } from '@flannel-ts/netlink';
import type { Attribute } from '@flannel-ts/netlink';
import type { WireguardDeviceConfig, WireguardDeviceState, WireguardPeerState } from '../wireguard-device.js';
import { WireguardPublicKey } from '../wireguard-key.js';
import { cidrParts, cidrText, decodeSockaddr, encodeSockaddr } from './sockaddr.js';
import * as C from './wireguard-genl-constants.js';

/** Which device a request is about: by index (preferred) or by name; never both. */
export type WireguardDeviceRef = { readonly index: number } | { readonly name: string };

function genlHeader(command: number): Uint8Array {
  return Uint8Array.of(command, C.WG_GENL_VERSION, 0, 0);
}

function writeRef(writer: MessageWriter, ref: WireguardDeviceRef): void {
  if ('index' in ref) writer.u32(C.WGDEVICE_A_IFINDEX, ref.index);
  else {
    if (new TextEncoder().encode(ref.name).byteLength > 15) throw new RangeError(`device name ${JSON.stringify(ref.name)} is longer than 15 bytes`);
    writer.string(C.WGDEVICE_A_IFNAME, ref.name);
  }
}

function joined(header: Uint8Array, writer: MessageWriter): Uint8Array {
  const body = writer.bytes();
  const out = new Uint8Array(header.byteLength + body.byteLength);
  out.set(header, 0);
  out.set(body, header.byteLength);
  return out;
}

/**
 * The `WG_CMD_SET_DEVICE` payload for `config` (send with `NLM_F_REQUEST | NLM_F_ACK`). Equals
 * `wg set <dev> …`. Throws `RangeError` for a value out of range.
 *
 * @example
 * ```ts
 * const payload = encodeSetDevice({ index: 7 }, { privateKey, listenPort: 51820, replacePeers: true });
 * await genetlink.request(familyId, NLM_F_REQUEST | NLM_F_ACK, payload);
 * ```
 */
export function encodeSetDevice(ref: WireguardDeviceRef, config: WireguardDeviceConfig): Uint8Array {
  const writer = new MessageWriter();
  writeRef(writer, ref);
  if (config.replacePeers) writer.u32(C.WGDEVICE_A_FLAGS, C.WGDEVICE_F_REPLACE_PEERS);
  if (config.privateKey !== undefined) writer.attribute(C.WGDEVICE_A_PRIVATE_KEY, config.privateKey.revealBytes());
  if (config.listenPort !== undefined) {
    if (!Number.isInteger(config.listenPort) || config.listenPort < 0 || config.listenPort > 65535) throw new RangeError(`listen port ${config.listenPort} is out of range 0..65535`);
    writer.u16(C.WGDEVICE_A_LISTEN_PORT, config.listenPort);
  }
  const peers = config.peers ?? [];
  if (peers.length > 0) {
    const list = writer.fork(C.WGDEVICE_A_PEERS, true);
    for (const peer of peers) {
      const entry = writer.fork(0, true);
      writer.attribute(C.WGPEER_A_PUBLIC_KEY, peer.publicKey.bytes());
      const flags = (peer.remove ? C.WGPEER_F_REMOVE_ME : 0) | (!peer.remove && peer.replaceAllowedIPs ? C.WGPEER_F_REPLACE_ALLOWEDIPS : 0);
      if (flags !== 0) writer.u32(C.WGPEER_A_FLAGS, flags);
      if (!peer.remove) {
        if (peer.presharedKey !== undefined) writer.attribute(C.WGPEER_A_PRESHARED_KEY, peer.presharedKey.revealBytes());
        if (peer.endpoint !== undefined) writer.attribute(C.WGPEER_A_ENDPOINT, encodeSockaddr(peer.endpoint));
        if (peer.persistentKeepaliveInterval !== undefined) {
          const seconds = peer.persistentKeepaliveInterval;
          if (!Number.isInteger(seconds) || seconds < 0 || seconds > 65535) throw new RangeError(`persistent keepalive ${seconds} is out of range 0..65535`);
          writer.u16(C.WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, seconds);
        }
        if (peer.allowedIPs !== undefined && peer.allowedIPs.length > 0) {
          const ips = writer.fork(C.WGPEER_A_ALLOWEDIPS, true);
          for (const cidr of peer.allowedIPs) {
            const { family, address, prefixLength } = cidrParts(cidr);
            const ip = writer.fork(0, true);
            writer.u16(C.WGALLOWEDIP_A_FAMILY, family);
            writer.attribute(C.WGALLOWEDIP_A_IPADDR, address);
            writer.u8(C.WGALLOWEDIP_A_CIDR_MASK, prefixLength);
            writer.join(ip);
          }
          writer.join(ips);
        }
      }
      writer.join(entry);
    }
    writer.join(list);
  }
  return joined(genlHeader(C.WG_CMD_SET_DEVICE), writer);
}

/**
 * The `WG_CMD_GET_DEVICE` payload (send with `NLM_F_REQUEST | NLM_F_DUMP`). Equals `wg show <dev>`.
 *
 * @example
 * ```ts
 * encodeGetDevice({ name: 'flannel-wg' });
 * ```
 */
export function encodeGetDevice(ref: WireguardDeviceRef): Uint8Array {
  const writer = new MessageWriter();
  writeRef(writer, ref);
  return joined(genlHeader(C.WG_CMD_GET_DEVICE), writer);
}

function u16(attribute: Attribute): number {
  if (attribute.data.byteLength < 2) throw new RangeError(`attribute ${attribute.type}: truncated u16`);
  return new DataView(attribute.data.buffer, attribute.data.byteOffset, 2).getUint16(0, true);
}

function u64(attribute: Attribute): number {
  if (attribute.data.byteLength < 8) throw new RangeError(`attribute ${attribute.type}: truncated u64`);
  return Number(new DataView(attribute.data.buffer, attribute.data.byteOffset, 8).getBigUint64(0, true));
}

function nestedEntries(attribute: Attribute): Attribute[] {
  return decodeAttributes(attribute.data);
}

function decodePeer(entry: Attribute): WireguardPeerState {
  let publicKey = '';
  let hasPresharedKey = false;
  let endpoint: string | undefined;
  let persistentKeepaliveInterval = 0;
  let lastHandshakeTime = 0;
  let rxBytes = 0;
  let txBytes = 0;
  const allowedIPs: string[] = [];
  for (const attribute of nestedEntries(entry)) {
    switch (attribute.type) {
      case C.WGPEER_A_PUBLIC_KEY:
        publicKey = new WireguardPublicKey(attribute.data).toString();
        break;
      case C.WGPEER_A_PRESHARED_KEY:
        hasPresharedKey = attribute.data.some((byte) => byte !== 0);
        break;
      case C.WGPEER_A_ENDPOINT:
        endpoint = decodeSockaddr(attribute.data);
        break;
      case C.WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
        persistentKeepaliveInterval = u16(attribute);
        break;
      case C.WGPEER_A_LAST_HANDSHAKE_TIME:
        lastHandshakeTime = u64(attribute);
        break;
      case C.WGPEER_A_RX_BYTES:
        rxBytes = u64(attribute);
        break;
      case C.WGPEER_A_TX_BYTES:
        txBytes = u64(attribute);
        break;
      case C.WGPEER_A_ALLOWEDIPS:
        for (const ip of nestedEntries(attribute)) {
          let family = 0;
          let address: Uint8Array = new Uint8Array();
          let mask = 0;
          for (const field of nestedEntries(ip)) {
            if (field.type === C.WGALLOWEDIP_A_FAMILY) family = u16(field);
            else if (field.type === C.WGALLOWEDIP_A_IPADDR) address = field.data;
            else if (field.type === C.WGALLOWEDIP_A_CIDR_MASK) mask = field.data[0] ?? 0;
          }
          allowedIPs.push(cidrText(family, address, mask));
        }
        break;
      default:
        break;
    }
  }
  return { publicKey, hasPresharedKey, ...(endpoint === undefined ? {} : { endpoint }), persistentKeepaliveInterval, allowedIPs, lastHandshakeTime, rxBytes, txBytes };
}

/**
 * Decodes the payloads of a `WG_CMD_GET_DEVICE` dump into one device, coalescing a peer split over
 * messages (the same public key again, carrying only more allowed IPs). The private key is dropped.
 * Throws `RangeError` on malformed input.
 *
 * @example
 * ```ts
 * const state = decodeGetDevice(await genetlink.request(familyId, NLM_F_REQUEST | NLM_F_DUMP, encodeGetDevice({ index })));
 * ```
 */
export function decodeGetDevice(payloads: readonly Uint8Array[]): WireguardDeviceState {
  let listenPort = 0;
  let publicKey: string | undefined;
  const peers: WireguardPeerState[] = [];
  for (const payload of payloads) {
    if (payload.byteLength < C.GENL_HEADER_LENGTH) throw new RangeError('genlmsghdr: truncated');
    for (const attribute of decodeAttributes(payload, C.GENL_HEADER_LENGTH)) {
      if (attribute.type === C.WGDEVICE_A_LISTEN_PORT) listenPort = u16(attribute);
      else if (attribute.type === C.WGDEVICE_A_PUBLIC_KEY) publicKey = new WireguardPublicKey(attribute.data).toString();
      else if (attribute.type === C.WGDEVICE_A_PEERS) {
        for (const entry of nestedEntries(attribute)) {
          const peer = decodePeer(entry);
          const last = peers.at(-1);
          if (last !== undefined && last.publicKey === peer.publicKey) peers[peers.length - 1] = { ...last, allowedIPs: [...last.allowedIPs, ...peer.allowedIPs] };
          else peers.push(peer);
        }
      }
    }
  }
  return { ...(publicKey === undefined ? {} : { publicKey }), listenPort, peers };
}
