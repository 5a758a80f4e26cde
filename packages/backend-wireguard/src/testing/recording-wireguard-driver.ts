// A WireguardDriver over an in-memory device model (and, when given, links in a RecordingNetlink): the
// wireguard backend's fake. Every configure call is recorded as the `wg set` command it equals, with
// secret keys shown as "(secret)".
import type { Netlink } from '@flannel-ts/netlink';
import type { WireguardDevice, WireguardDeviceConfig, WireguardDeviceState, WireguardDriver, WireguardPeerState } from '../wireguard-device.js';

/** A recorded configure call. */
export interface RecordedWireguardCall {
  readonly device: string;
  /** `wg set flannel-wg listen-port 51820 private-key (secret) peer <key> endpoint … allowed-ips …`. */
  readonly command: string;
  readonly config: WireguardDeviceConfig;
}

/** The fake driver plus what it holds. */
export interface RecordingWireguardDriver extends WireguardDriver {
  readonly calls: RecordedWireguardCall[];
  /** Devices that exist now, by name. */
  readonly devices: ReadonlyMap<string, WireguardDeviceState & { readonly mtu: number; readonly hasPrivateKey: boolean }>;
  /** Makes the next createDevice reject with `error`. */
  failNextCreate(error: Error): void;
}

/** `wg set` text for a config, secrets hidden. */
export function wgSetCommand(device: string, config: WireguardDeviceConfig): string {
  const parts = ['wg', 'set', device];
  if (config.listenPort !== undefined) parts.push('listen-port', String(config.listenPort));
  if (config.privateKey !== undefined) parts.push('private-key', '(secret)');
  if (config.replacePeers) parts.push('replace-peers');
  for (const peer of config.peers ?? []) {
    parts.push('peer', peer.publicKey.toString());
    if (peer.remove) {
      parts.push('remove');
      continue;
    }
    if (peer.presharedKey !== undefined) parts.push('preshared-key', '(secret)');
    if (peer.endpoint !== undefined) parts.push('endpoint', peer.endpoint);
    if (peer.persistentKeepaliveInterval !== undefined) parts.push('persistent-keepalive', String(peer.persistentKeepaliveInterval));
    if (peer.allowedIPs !== undefined) parts.push('allowed-ips', peer.allowedIPs.join(','));
  }
  return parts.join(' ');
}

/**
 * Creates the recording driver. With `netlink` (a `RecordingNetlink`), devices are also links of kind
 * `wireguard` there, so addresses and routes can be put on them.
 *
 * @example
 * ```ts
 * const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
 * const driver = createRecordingWireguardDriver({ netlink });
 * createWireguardBackend({ netlink, driver, keyStore: memoryKeyStore() });
 * ```
 */
export function createRecordingWireguardDriver(options: { readonly netlink?: Pick<Netlink, 'findLink' | 'deleteLink' | 'addLink'>; readonly kind?: string } = {}): RecordingWireguardDriver {
  const calls: RecordedWireguardCall[] = [];
  type Model = { listenPort: number; mtu: number; hasPrivateKey: boolean; peers: Map<string, WireguardPeerState> };
  const models = new Map<string, Model>();
  let nextIndex = 100;
  let failure: Error | undefined;
  const snapshot = (model: Model): WireguardDeviceState & { mtu: number; hasPrivateKey: boolean } => ({
    listenPort: model.listenPort,
    mtu: model.mtu,
    hasPrivateKey: model.hasPrivateKey,
    peers: [...model.peers.values()].map((peer) => ({ ...peer, allowedIPs: [...peer.allowedIPs] })),
  });
  return {
    kind: options.kind ?? 'recording',
    calls,
    get devices() {
      return new Map([...models].map(([name, model]) => [name, snapshot(model)]));
    },
    failNextCreate(error) {
      failure = error;
    },
    async createDevice(name, mtu) {
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      let index = nextIndex++;
      if (options.netlink) {
        if (await options.netlink.findLink(name)) await options.netlink.deleteLink(name);
        index = (await options.netlink.addLink({ kind: 'wireguard', name, mtu })).index;
      }
      const model: Model = { listenPort: 0, mtu, hasPrivateKey: false, peers: new Map() };
      models.set(name, model);
      let removed = false;
      const device: WireguardDevice = {
        name,
        index,
        async configure(config) {
          if (removed) throw new Error(`device ${name} was removed`);
          calls.push({ device: name, command: wgSetCommand(name, config), config });
          if (config.privateKey) model.hasPrivateKey = true;
          if (config.listenPort !== undefined) model.listenPort = config.listenPort;
          if (config.replacePeers) model.peers.clear();
          for (const peer of config.peers ?? []) {
            const key = peer.publicKey.toString();
            if (peer.remove) {
              model.peers.delete(key);
              continue;
            }
            const before = model.peers.get(key);
            const allowedIPs = peer.replaceAllowedIPs || before === undefined ? [...(peer.allowedIPs ?? [])] : [...before.allowedIPs, ...(peer.allowedIPs ?? [])];
            model.peers.set(key, {
              publicKey: key,
              hasPresharedKey: peer.presharedKey !== undefined || (before?.hasPresharedKey ?? false),
              ...(peer.endpoint ?? before?.endpoint ? { endpoint: peer.endpoint ?? before?.endpoint } : {}),
              persistentKeepaliveInterval: peer.persistentKeepaliveInterval ?? before?.persistentKeepaliveInterval ?? 0,
              allowedIPs,
              lastHandshakeTime: 0,
              rxBytes: 0,
              txBytes: 0,
            });
          }
        },
        async read() {
          return snapshot(model);
        },
        async remove() {
          if (removed) return;
          removed = true;
          models.delete(name);
          if (options.netlink && (await options.netlink.findLink(name))) await options.netlink.deleteLink(name);
        },
      };
      return device;
    },
  };
}
