// Adapters from the shared boundaries other packages define (core's `KeyStore` of the backend
// dependency set, `@flannel-ts/netlink`'s generic netlink socket) to this backend's narrow interfaces.
// Typed structurally, so this package needs neither; the daemon connects them with one call each.
import type { MessageWriter } from '@flannel-ts/netlink';
import type { WireguardGenetlink } from './kernel-driver.js';
import type { WireguardKeyStore } from './key-store.js';
import { WireguardSecretKey } from './wireguard-key.js';
import { GENL_HEADER_LENGTH, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from './genl/wireguard-genl-constants.js';

/** A store of raw key bytes by name (core's `KeyStore`). */
export interface NamedKeyStore {
  load(name: string): Promise<Uint8Array | undefined>;
  save(name: string, key: Uint8Array): Promise<Uint8Array>;
}

/**
 * The private key kept under `name` in `keys`, generated and saved when absent.
 *
 * @example
 * ```ts
 * createWireguardBackend({ netlink, keyStore: keyStoreFromNamedKeys(dependencies.keys) });
 * ```
 */
export function keyStoreFromNamedKeys(keys: NamedKeyStore, name = 'wireguard'): WireguardKeyStore {
  return {
    async loadPrivateKey() {
      const stored = await keys.load(name);
      if (stored !== undefined) return new WireguardSecretKey(stored);
      const key = WireguardSecretKey.generate();
      await keys.save(name, key.revealBytes());
      return key;
    },
  };
}

/** A generic netlink family as a generic netlink socket resolves it. */
export interface ResolvedFamily {
  readonly id: number;
  readonly version: number;
}

/** One request to a generic netlink socket: it writes `genlmsghdr` itself, then the attributes. */
export interface GenericRequestLike {
  readonly family: ResolvedFamily;
  readonly command: number;
  readonly attributes?: (writer: MessageWriter) => void;
  /** `NLM_F_*` flags besides `NLM_F_REQUEST` and `NLM_F_ACK`/`NLM_F_DUMP`, which the socket adds. */
  readonly flags?: number;
  readonly operation: string;
}

/** A generic netlink socket (`@flannel-ts/netlink`'s `openGenericNetlink()`). */
export interface GenericNetlinkLike {
  resolveFamily(name: string): Promise<ResolvedFamily>;
  ack(request: GenericRequestLike): Promise<void>;
  dump(request: GenericRequestLike): Promise<ReadonlyArray<{ readonly payload: Uint8Array }>>;
}

const rawBytes = {
  encodingLength: (bytes: Uint8Array) => bytes.byteLength,
  encode(bytes: Uint8Array, target: Uint8Array = new Uint8Array(bytes.byteLength), offset = 0) {
    target.set(bytes, offset);
    return target;
  },
};

/**
 * The kernel driver's generic netlink over a generic netlink socket: the codec's payload is split into
 * its `genlmsghdr` command and the attributes the socket writes after its own header.
 *
 * @example
 * ```ts
 * createWireguardBackend({ netlink, genetlink: genetlinkFromSocket(openGenericNetlink()) });
 * ```
 */
export function genetlinkFromSocket(socket: GenericNetlinkLike): WireguardGenetlink {
  const families = new Map<number, ResolvedFamily>();
  return {
    async resolveFamily(name) {
      const family = await socket.resolveFamily(name);
      families.set(family.id, family);
      return family.id;
    },
    async request(familyId, flags, payload) {
      const family = families.get(familyId) ?? { id: familyId, version: payload[1] ?? 1 };
      const request: GenericRequestLike = {
        family,
        command: payload[0] ?? 0,
        attributes: (writer) => writer.struct(rawBytes, payload.subarray(GENL_HEADER_LENGTH)),
        operation: payload[0] === 1 ? 'setWireguardDevice' : 'getWireguardDevice',
        ...((flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP)) === 0 ? {} : { flags: flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP) }),
      };
      if ((flags & NLM_F_DUMP) === NLM_F_DUMP) return (await socket.dump(request)).map((message) => message.payload);
      await socket.ack(request);
      return [];
    },
  };
}
