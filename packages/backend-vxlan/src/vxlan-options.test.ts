import { FlannelError } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { checkVxlanConfig, parseVxlanOptions } from './vxlan-options.js';

describe('parseVxlanOptions', () => {
  it('resolves flannel defaults', () => {
    expect(parseVxlanOptions({ Type: 'vxlan' })).toEqual({ vni: 1, port: 0, gbp: false, learning: false, mtu: 0, directRouting: false });
  });

  it('reads keys case-insensitively, the last matching key winning as in Go', () => {
    expect(parseVxlanOptions({ vni: 2, VNI: 3, port: 4789, gbp: true, learning: true, Mtu: 9000, directrouting: true })).toEqual({
      vni: 3,
      port: 4789,
      gbp: true,
      learning: true,
      mtu: 9000,
      directRouting: true,
    });
  });

  it('treats JSON null as absent', () => {
    expect(parseVxlanOptions({ VNI: null }).vni).toBe(1);
  });

  it.each([
    [{ VNI: -1 }, 'Backend.VNI -1 is invalid: must be an integer 0..16777215'],
    [{ VNI: 16777216 }, 'Backend.VNI 16777216 is invalid: must be an integer 0..16777215'],
    [{ VNI: '1' }, 'Backend.VNI "1" is invalid: must be an integer 0..16777215'],
    [{ VNI: 1.5 }, 'Backend.VNI 1.5 is invalid: must be an integer 0..16777215'],
    [{ Port: 70000 }, 'Backend.Port 70000 is invalid: must be an integer 0..65535'],
    [{ GBP: 'yes' }, 'Backend.GBP "yes" is invalid: must be true or false'],
    [{ DirectRouting: 1 }, 'Backend.DirectRouting 1 is invalid: must be true or false'],
    [{ MTU: 100 }, 'Backend.MTU 100 is invalid: must be 0 (the interface MTU) or at least 118'],
  ])('rejects %j with a message naming field, value and rule', (backend, message) => {
    let caught: unknown;
    try {
      parseVxlanOptions(backend);
    } catch (error) {
      caught = error;
    }
    expect(FlannelError.hasCode(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message.startsWith(message)).toBe(true);
  });
});

describe('checkVxlanConfig', () => {
  it('refuses an explicit MTU that leaves flannel-v6 under IPv6\'s 1280 bytes, only with EnableIPv6', () => {
    const backend = { Type: 'vxlan', MTU: 1349 };
    expect(() => checkVxlanConfig({ enableIPv6: true, backend })).toThrow(
      'Backend.MTU 1349 is invalid: must be 0 (the interface MTU) or at least 1350 with EnableIPv6, leaving IPv6\'s 1280 bytes after the 70-byte headroom of flannel-v6',
    );
    expect(checkVxlanConfig({ enableIPv6: false, backend }).mtu).toBe(1349);
    expect(checkVxlanConfig({ enableIPv6: true, backend: { Type: 'vxlan', MTU: 1350 } }).mtu).toBe(1350);
    expect(checkVxlanConfig({ enableIPv6: true, backend: { Type: 'vxlan' } }).mtu).toBe(0);
  });
});
