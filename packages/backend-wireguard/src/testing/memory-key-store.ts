import type { WireguardKeyStore } from '../key-store.js';
import { WireguardSecretKey } from '../wireguard-key.js';

/**
 * A key store holding one key in memory (generated once, or the one given): restarts of a backend
 * sharing the store keep their key, as the key file does.
 *
 * @example
 * ```ts
 * const keyStore = memoryKeyStore();
 * createWireguardBackend({ netlink, driver, keyStore });
 * ```
 */
export function memoryKeyStore(key: WireguardSecretKey = WireguardSecretKey.generate()): WireguardKeyStore & { readonly key: WireguardSecretKey } {
  return {
    key,
    async loadPrivateKey() {
      return key;
    },
  };
}
