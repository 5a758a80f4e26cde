import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeKeyBase64, WireguardPublicKey, WireguardSecretKey } from './wireguard-key.js';

// RFC 7748 section 6.1: Alice's X25519 key pair.
const ALICE_PRIVATE = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
const ALICE_PUBLIC = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex');

describe('WireGuard keys', () => {
  it('derives the public key as X25519 does (RFC 7748 vector)', () => {
    expect(new WireguardSecretKey(ALICE_PRIVATE).publicKey().toHex()).toBe(ALICE_PUBLIC.toString('hex'));
  });

  it('generates clamped private keys', () => {
    const key = WireguardSecretKey.generate(() => new Uint8Array(32).fill(0xff)).revealBytes();
    expect([key[0], key[31]]).toEqual([0xf8, 0x7f]);
  });

  it.each([
    { name: 'a wg genkey line with its newline', text: `${ALICE_PRIVATE.toString('base64')}\n`, ok: true },
    { name: 'CRLF anywhere (Go ignores \\r and \\n)', text: `${ALICE_PRIVATE.toString('base64').slice(0, 10)}\r\n${ALICE_PRIVATE.toString('base64').slice(10)}`, ok: true },
    { name: 'a space', text: ` ${ALICE_PRIVATE.toString('base64')}`, ok: false },
    { name: 'unpadded base64', text: ALICE_PRIVATE.toString('base64').replace('=', ''), ok: false },
    { name: '31 bytes', text: ALICE_PRIVATE.subarray(1).toString('base64'), ok: false },
    { name: 'hex', text: ALICE_PRIVATE.toString('hex'), ok: false },
  ])('parses base64 keys as wgtypes.ParseKey: $name', ({ text, ok }) => {
    expect(decodeKeyBase64(text) !== undefined).toBe(ok);
  });

  it('never prints a secret key', () => {
    const key = new WireguardSecretKey(ALICE_PRIVATE);
    const texts = [String(key), JSON.stringify({ key }), inspect(key), `${key}`, inspect({ nested: key })];
    for (const text of texts) {
      expect(text).not.toContain(ALICE_PRIVATE.toString('base64'));
      expect(text).not.toContain(ALICE_PRIVATE.toString('hex'));
      expect(text).toContain('[redacted]');
    }
  });

  it('prints public keys as base64 and compares them by value', () => {
    const key = new WireguardPublicKey(ALICE_PUBLIC);
    expect(String(key)).toBe(ALICE_PUBLIC.toString('base64'));
    expect(key.equals(WireguardPublicKey.parse(ALICE_PUBLIC.toString('base64')))).toBe(true);
  });
});
