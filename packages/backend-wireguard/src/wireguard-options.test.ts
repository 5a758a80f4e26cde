import { parseNetworkConfig } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { parseWireguardOptions } from './wireguard-options.js';

const config = (backend: Record<string, unknown>) => parseNetworkConfig(JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'wireguard', ...backend } })).config;
const PSK = Buffer.alloc(32, 9).toString('base64');

describe('parseWireguardOptions', () => {
  it("has flannel's defaults", () => {
    expect(parseWireguardOptions(config({}))).toEqual({ listenPort: 51820, listenPortV6: 51821, persistentKeepaliveInterval: 0, mode: 'separate' });
  });

  it('reads every key, case-insensitively', () => {
    const options = parseWireguardOptions(config({ listenport: 1000, ListenPortV6: 1001, MTU: 9000, psk: PSK, PersistentKeepaliveInterval: 25, Mode: 'auto' }));
    expect(options).toMatchObject({ listenPort: 1000, listenPortV6: 1001, mtu: 9000, persistentKeepaliveInterval: 25, mode: 'auto' });
    expect(options.presharedKey?.revealBase64()).toBe(PSK);
  });

  it.each([
    { backend: { Mode: 'Separate' }, message: 'Backend.Mode "Separate" is invalid: no valid Mode configured (must be one of separate, auto, ipv4, ipv6)' },
    { backend: { PersistentKeepaliveInterval: '25s' }, message: 'Backend.PersistentKeepaliveInterval "25s" is invalid: must be an integer 0..65535' },
    { backend: { ListenPort: 70000 }, message: 'Backend.ListenPort 70000 is invalid: must be an integer 0..65535' },
    { backend: { MTU: 100 }, message: 'Backend.MTU 100 is invalid: must be an integer 148..65535' },
  ])('refuses $backend', ({ backend, message }) => {
    expect(() => parseWireguardOptions(config(backend))).toThrow(message);
  });

  it('needs an MTU leaving 1280 bytes for IPv6 after the 80-byte overhead only with EnableIPv6', () => {
    const dual = (backend: Record<string, unknown>) =>
      parseNetworkConfig(JSON.stringify({ Network: '10.5.0.0/16', EnableIPv6: true, IPv6Network: 'fd00::/56', Backend: { Type: 'wireguard', ...backend } })).config;
    expect(() => parseWireguardOptions(dual({ MTU: 1359 }))).toThrow(
      "Backend.MTU 1359 is invalid: must be at least 1360 with EnableIPv6, leaving IPv6's 1280 bytes after the 80-byte WireGuard overhead",
    );
    expect(parseWireguardOptions(dual({ MTU: 1360 })).mtu).toBe(1360);
    expect(parseWireguardOptions(dual({})).mtu).toBeUndefined();
    expect(parseWireguardOptions(config({ MTU: 1000 })).mtu).toBe(1000);
  });

  it('refuses a PSK that is not a key without showing it', () => {
    expect(() => parseWireguardOptions(config({ PSK: 'hunter2' }))).toThrow('Backend.PSK is invalid: must be a base64 WireGuard key (32 bytes, as wg genpsk writes)');
    expect(() => parseWireguardOptions(config({ PSK: 42 }))).toThrow(/^Backend\.PSK is invalid: must be a string$/);
  });

  it.each(['PersistentKeepaliveInterval', 'MTU', 'ListenPort'])('refuses %s written 1500.0, as flanneld\'s Go decoder does', (key) => {
    const text = `{"Network":"10.5.0.0/16","Backend":{"Type":"wireguard","${key}":1500.0}}`;
    expect(() => parseWireguardOptions(parseNetworkConfig(text).config)).toThrow(`Backend.${key} 1500.0 is invalid: must be an integer written without a fraction or exponent`);
  });
});
