import type { Link } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { vxlanDeviceName, vxlanIncompatibility, vxlanLinkSpec } from './vxlan-device.js';
import type { VxlanDeviceSpec } from './vxlan-device.js';

const SPEC: VxlanDeviceSpec = {
  name: 'flannel.1',
  family: 4,
  hardwareAddress: '02:00:00:00:00:01',
  mtu: 1450,
  vxlan: { vni: 1, local: '192.168.1.1', underlayIndex: 2, port: 0, learning: false, gbp: false },
};

const LINK: Link = {
  index: 9,
  name: 'flannel.1',
  kind: 'vxlan',
  mtu: 1400,
  hardwareAddress: '02:00:00:00:00:09',
  up: true,
  flags: 0,
  vxlan: { vni: 1, local: '192.168.1.1', underlayIndex: 2, port: 8472, learning: true },
};

describe('vxlanDeviceName', () => {
  it('names devices as flannel does', () => {
    expect(vxlanDeviceName(1, 4)).toBe('flannel.1');
    expect(vxlanDeviceName(4096, 6)).toBe('flannel-v6.4096');
  });
});

describe('vxlanLinkSpec', () => {
  it('asks for a vxlan link with the VTEP MAC, MTU and attributes', () => {
    expect(vxlanLinkSpec(SPEC)).toEqual({ kind: 'vxlan', name: 'flannel.1', mtu: 1450, hardwareAddress: '02:00:00:00:00:01', vxlan: SPEC.vxlan });
  });
});

describe('vxlanIncompatibility', () => {
  it('reuses a device that differs only in MTU, MAC, learning, or a port left to the kernel default', () => {
    expect(vxlanIncompatibility(LINK, SPEC)).toBeUndefined();
  });

  it.each([
    [{ kind: 'bridge', vxlan: undefined }, 'it is a bridge device, not vxlan'],
    [{ vxlan: { ...LINK.vxlan!, vni: 2 } }, 'VNI 2 differs from 1'],
    [{ vxlan: { ...LINK.vxlan!, underlayIndex: 3 } }, 'underlay device index 3 differs from 2'],
    [{ vxlan: { ...LINK.vxlan!, local: '192.168.1.9' } }, 'local address 192.168.1.9 differs from 192.168.1.1'],
    [{ vxlan: { ...LINK.vxlan!, group: '239.1.1.1' } }, 'group 239.1.1.1 differs from none'],
    [{ vxlan: { ...LINK.vxlan!, l2miss: true } }, 'l2miss true differs from false'],
    [{ vxlan: { ...LINK.vxlan!, gbp: true } }, 'gbp true differs from false'],
  ] as const)('replaces a device when %j', (change, reason) => {
    expect(vxlanIncompatibility({ ...LINK, ...change } as Link, SPEC)).toBe(reason);
  });

  it('compares ports only when both are set', () => {
    expect(vxlanIncompatibility(LINK, { ...SPEC, vxlan: { ...SPEC.vxlan, port: 4789 } })).toBe('port 8472 differs from 4789');
    expect(vxlanIncompatibility({ ...LINK, vxlan: { ...LINK.vxlan!, port: 0 } }, { ...SPEC, vxlan: { ...SPEC.vxlan, port: 4789 } })).toBeUndefined();
  });
});
