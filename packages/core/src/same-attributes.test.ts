import { describe, expect, it } from 'vitest';
import { sameAttributes } from './same-attributes.js';

describe('sameAttributes', () => {
  it('compares every published field', () => {
    const base = { publicIP: '10.0.0.1', publicIPv6: 'fd00::1', backendType: 'vxlan', backendData: '{"VNI":1}', backendV6Data: '{"VNI":1}' };
    expect(sameAttributes(base, { ...base })).toBe(true);
    for (const change of [{ publicIP: '10.0.0.2' }, { publicIPv6: 'fd00::2' }, { backendType: 'host-gw' }, { backendData: '{"VNI":2}' }, { backendV6Data: '{"VNI":2}' }]) {
      expect(sameAttributes(base, { ...base, ...change })).toBe(false);
    }
  });

  it('treats absent backend data and a JSON null as the same (the kube manager writes "null" for none)', () => {
    expect(sameAttributes({ publicIP: '10.0.0.1' }, { publicIP: '10.0.0.1', backendData: 'null', backendV6Data: 'null' })).toBe(true);
    expect(sameAttributes({ publicIP: '10.0.0.1' }, { publicIP: '10.0.0.1', backendData: '{}' })).toBe(false);
  });
});
