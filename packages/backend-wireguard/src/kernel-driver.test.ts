// The kernel driver against a RecordingNetlink and a recording generic netlink: what it sends, and how
// "no WireGuard in this kernel" leads the automatic choice to wireguard-go.
import { FlannelError } from '@flannel-ts/core';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';
import { createAutoWireguardDriver } from './auto-driver.js';
import { encodeGetDevice, encodeSetDevice } from './genl/wireguard-genl-codec.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from './genl/wireguard-genl-constants.js';
import { createKernelWireguardDriver } from './kernel-driver.js';
import { WireguardSecretKey } from './wireguard-key.js';
import { createRecordingGenetlink, createRecordingWireguardDriver } from './testing/index.js';

const KEY = new WireguardSecretKey(Buffer.alloc(32, 3));

describe('kernel WireGuard driver', () => {
  it('creates a wireguard link with the MTU and configures it over the resolved generic netlink family', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    const genetlink = createRecordingGenetlink({ families: { wireguard: 0x1b } });
    const device = await createKernelWireguardDriver({ netlink, genetlink }).createDevice('flannel-wg', 1420);
    expect(await netlink.getLink('flannel-wg')).toMatchObject({ kind: 'wireguard', mtu: 1420 });
    await device.configure({ privateKey: KEY, listenPort: 51820, replacePeers: true });
    await device.read();
    expect(genetlink.requests).toEqual([
      { familyId: 0x1b, flags: NLM_F_REQUEST | NLM_F_ACK, payload: encodeSetDevice({ index: device.index }, { privateKey: KEY, listenPort: 51820, replacePeers: true }) },
      { familyId: 0x1b, flags: NLM_F_REQUEST | NLM_F_DUMP, payload: encodeGetDevice({ index: device.index }) },
    ]);
    await device.remove();
    expect(await netlink.findLink('flannel-wg')).toBeUndefined();
  });

  it('deletes and recreates an existing link of the same name (a wireguard-go tun, say)', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    await netlink.addLink({ kind: 'tun', name: 'flannel-wg' });
    await createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink({ families: { wireguard: 1 } }) }).createDevice('flannel-wg', 1420);
    expect(await netlink.getLink('flannel-wg')).toMatchObject({ kind: 'wireguard' });
  });

  it('reports BACKEND_UNSUPPORTED when the kernel refuses the link type', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    netlink.failNext({ operation: 'addLink', errno: 'EOPNOTSUPP', extendedAck: 'Unknown device type' });
    const error = await createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink() }).createDevice('flannel-wg', 1420).catch((caught: unknown) => caught);
    expect(FlannelError.isInstance(error) && [error.code, error.message]).toEqual(['BACKEND_UNSUPPORTED', 'could not create wireguard interface flannel-wg: the kernel has no wireguard link type (EOPNOTSUPP)']);
  });

  it('reports BACKEND_UNSUPPORTED and removes the link when the family "wireguard" does not resolve', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    const error = await createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink() }).createDevice('flannel-wg', 1420).catch((caught: unknown) => caught);
    expect(FlannelError.isInstance(error) && error.code).toBe('BACKEND_UNSUPPORTED');
    expect(await netlink.findLink('flannel-wg')).toBeUndefined();
  });
});

describe('automatic WireGuard driver', () => {
  it('uses the kernel when it can, and keeps that choice', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    const userspace = createRecordingWireguardDriver({ kind: 'wireguard-go' });
    const auto = createAutoWireguardDriver([createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink({ families: { wireguard: 9 } }) }), userspace]);
    await auto.createDevice('flannel-wg', 1420);
    await auto.createDevice('flannel-wg-v6', 1420);
    expect(auto.chosen()).toBe('kernel');
    expect(userspace.devices.size).toBe(0);
  });

  it('falls back to wireguard-go when the kernel has no WireGuard', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    netlink.failNext({ operation: 'addLink', errno: 'EOPNOTSUPP' });
    const userspace = createRecordingWireguardDriver({ kind: 'wireguard-go' });
    const auto = createAutoWireguardDriver([createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink() }), userspace]);
    await auto.createDevice('flannel-wg', 1420);
    expect(auto.chosen()).toBe('wireguard-go');
    expect([...userspace.devices.keys()]).toEqual(['flannel-wg']);
  });

  it('does not hide other failures behind the fallback', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0' }] });
    netlink.failNext({ operation: 'addLink', errno: 'EPERM' });
    const auto = createAutoWireguardDriver([createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink() }), createRecordingWireguardDriver()]);
    await expect(auto.createDevice('flannel-wg', 1420)).rejects.toMatchObject({ code: 'BACKEND_FAILED' });
  });

  it('says why when no driver is available', async () => {
    const failing = createRecordingWireguardDriver({ kind: 'wireguard-go' });
    failing.failNextCreate(new FlannelError('BACKEND_UNSUPPORTED', 'wireguard-go was not found'));
    await expect(createAutoWireguardDriver([failing]).createDevice('flannel-wg', 1420)).rejects.toThrow('no WireGuard implementation is available: wireguard-go: wireguard-go was not found');
  });
});
