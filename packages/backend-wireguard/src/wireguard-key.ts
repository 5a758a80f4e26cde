// WireGuard keys: 32 bytes, base64 in flannel's lease and key file (wgtypes.ParseKey), hex on
// wireguard-go's UAPI socket, raw in generic netlink. A private or preshared key is a secret: its
// object never prints its bytes (toString, JSON and util.inspect all say "[redacted]").
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

/** Length of every WireGuard key (`WG_KEY_LEN`). */
export const WIREGUARD_KEY_LENGTH = 32;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes a key's base64 text as Go's `wgtypes.ParseKey` does (standard base64 with padding; `\r` and
 * `\n` anywhere are ignored, as Go's decoder ignores them; anything else is an error). Returns
 * `undefined` when the text is not a key; never echoes the text (it may be a secret).
 *
 * @example
 * ```ts
 * decodeKeyBase64('YH3M...=\n'); // Uint8Array(32)
 * ```
 */
export function decodeKeyBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length !== 44 || !BASE64.test(compact) || !compact.endsWith('=') || compact.endsWith('==')) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length !== WIREGUARD_KEY_LENGTH) return undefined;
  return new Uint8Array(bytes);
}

/** A WireGuard public key: not secret, printed as base64. */
export class WireguardPublicKey {
  readonly #bytes: Uint8Array;

  /** @param bytes 32 bytes. */
  constructor(bytes: Uint8Array) {
    if (bytes.length !== WIREGUARD_KEY_LENGTH) throw new RangeError(`a WireGuard key is ${WIREGUARD_KEY_LENGTH} bytes, not ${bytes.length}`);
    this.#bytes = Uint8Array.from(bytes);
  }

  /** Parses base64 (`undefined` when it is not a key). */
  static parse(text: string): WireguardPublicKey | undefined {
    const bytes = decodeKeyBase64(text);
    return bytes === undefined ? undefined : new WireguardPublicKey(bytes);
  }

  /** A copy of the 32 bytes. */
  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** Lower-case hex, as wireguard-go's UAPI writes keys. */
  toHex(): string {
    return Buffer.from(this.#bytes).toString('hex');
  }

  /** Base64, as flannel's lease and `wg` write keys. */
  toString(): string {
    return Buffer.from(this.#bytes).toString('base64');
  }

  toJSON(): string {
    return this.toString();
  }

  equals(other: WireguardPublicKey | undefined): boolean {
    return other !== undefined && Buffer.from(this.#bytes).equals(other.#bytes);
  }
}

/** A secret key (private or preshared): its bytes are reachable only through `reveal*`. */
export class WireguardSecretKey {
  readonly #bytes: Uint8Array;

  /** @param bytes 32 bytes. */
  constructor(bytes: Uint8Array) {
    if (bytes.length !== WIREGUARD_KEY_LENGTH) throw new RangeError(`a WireGuard key is ${WIREGUARD_KEY_LENGTH} bytes`);
    this.#bytes = Uint8Array.from(bytes);
  }

  /** Parses base64 (`undefined` when it is not a key; the text is never echoed). */
  static parse(text: string): WireguardSecretKey | undefined {
    const bytes = decodeKeyBase64(text);
    return bytes === undefined ? undefined : new WireguardSecretKey(bytes);
  }

  /**
   * A new private key: 32 random bytes clamped for Curve25519, as `wg genkey` and wgtypes'
   * `GeneratePrivateKey` make them.
   */
  static generate(random: (size: number) => Uint8Array = randomBytes): WireguardSecretKey {
    const bytes = Uint8Array.from(random(WIREGUARD_KEY_LENGTH));
    bytes[0]! &= 248;
    bytes[31] = (bytes[31]! & 127) | 64;
    return new WireguardSecretKey(bytes);
  }

  /** The public key of this private key (X25519 base point multiplication, `wg pubkey`). */
  publicKey(): WireguardPublicKey {
    const der = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), this.#bytes]);
    const spki = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
    return new WireguardPublicKey(spki.subarray(spki.length - WIREGUARD_KEY_LENGTH));
  }

  /** The 32 bytes (for a driver's wire encoding only). */
  revealBytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  /** Hex (wireguard-go UAPI only). */
  revealHex(): string {
    return Buffer.from(this.#bytes).toString('hex');
  }

  /** Base64 (the key file only). */
  revealBase64(): string {
    return Buffer.from(this.#bytes).toString('base64');
  }

  equals(other: WireguardSecretKey | undefined): boolean {
    return other !== undefined && Buffer.from(this.#bytes).equals(other.#bytes);
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'WireguardSecretKey [redacted]';
  }
}
