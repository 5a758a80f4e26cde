import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { NetlinkError, NetlinkInvalidArgumentError } from './errors.js';
import { createNetlink } from './kernel-netlink.js';
import type { Netlink } from './netlink.js';

type IpAddr = { ifindex: number; addr_info: { family: string; local: string; prefixlen: number; scope: string; label?: string }[] };

describe.skipIf(!isRoot)(`addresses (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let netlink: Netlink;
  let index: number;
  beforeEach(async () => {
    ns = createTestNetns('addr');
    netlink = await createNetlink({ netns: { name: ns.name } });
    index = (await netlink.addLink({ name: 'br0', kind: 'bridge', up: true })).index;
  });
  afterEach(async () => {
    await netlink.close();
    ns.remove();
  });

  const judge = (): string[] =>
    ns.ipJson<IpAddr[]>('addr', 'show', 'dev', 'br0')
      .flatMap((l) => l.addr_info.map((a) => `${a.local}/${a.prefixlen} ${a.scope}`))
      .sort();

  it('adds IPv4 (/32 as flannel does) and IPv6 addresses and lists them as ip addr shows them', async () => {
    await netlink.addAddress({ family: 4, index, address: '10.5.72.0', prefixLength: 32 });
    await netlink.addAddress({ family: 6, index, address: 'fd00:5::1', prefixLength: 64 });
    await netlink.addAddress({ family: 4, index, address: '192.168.9.1', prefixLength: 24, scope: 'link' });
    const ours = (await netlink.listAddresses({ index })).map((a) => `${a.address}/${a.prefixLength} ${a.scope === 'universe' ? 'global' : a.scope}`).sort();
    expect(ours).toEqual(judge());
    expect(ours).toContain('10.5.72.0/32 global');
    expect((await netlink.listAddresses({ family: 6, index })).every((a) => a.family === 6)).toBe(true);
  });

  it('deletes an address and rejects EEXIST on a duplicate add', async () => {
    const address = { family: 4 as const, index, address: '10.5.72.0', prefixLength: 32 };
    await netlink.addAddress(address);
    await expect(netlink.addAddress(address)).rejects.toSatisfy((e: unknown) => NetlinkError.hasErrno(e, 'EEXIST'));
    await netlink.deleteAddress(address);
    expect(judge().filter((a) => a.startsWith('10.5.72.0'))).toEqual([]);
  });

  it('refuses a malformed address or prefix before sending', async () => {
    await expect(netlink.addAddress({ family: 4, index, address: '10.5.300.0', prefixLength: 32 })).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    await expect(netlink.addAddress({ family: 4, index, address: '10.5.3.0', prefixLength: 33 })).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
    await expect(netlink.addAddress({ family: 6, index, address: '10.5.3.0', prefixLength: 64 })).rejects.toSatisfy(NetlinkInvalidArgumentError.isInstance);
  });
});
