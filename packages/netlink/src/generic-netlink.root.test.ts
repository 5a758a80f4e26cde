import { createHostPair, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { HostPair } from '@flannel-ts/testlab';
import { afterEach, describe, expect, it } from 'vitest';
import { NetlinkNotFoundError } from './errors.js';
import { openGenericNetlink } from './generic-netlink.js';
import type { GenericNetlink } from './generic-netlink.js';

describe.skipIf(!isRoot())(`generic netlink on the kernel ${rootSkipReason() ?? ''}`.trimEnd(), () => {
  let hosts: HostPair | undefined;
  let genl: GenericNetlink | undefined;
  afterEach(async () => {
    await genl?.close();
    genl = undefined;
    hosts?.remove();
    hosts = undefined;
  });

  it('resolves the controller family and an optional one inside a fresh namespace, and reports a missing family as not found', async () => {
    hosts = createHostPair({ tag: 'gn' });
    genl = openGenericNetlink({ netns: { name: hosts.a.name } });
    expect(await genl.resolveFamily('nlctrl')).toMatchObject({ id: 0x10, name: 'nlctrl', multicastGroups: [{ name: 'notify', id: 0x10 }] });
    // ethtool is built in on every kernel flannel-ts supports (5.6+); its id is dynamic.
    const ethtool = await genl.resolveFamily('ethtool');
    expect(ethtool.name).toBe('ethtool');
    expect(ethtool.id).toBeGreaterThan(0x10);
    expect(ethtool.multicastGroups.map((group) => group.name)).toContain('monitor');
    const missing = await genl.resolveFamily('no-such-family').catch((error: unknown) => error);
    expect(NetlinkNotFoundError.isInstance(missing)).toBe(true);
    expect((missing as NetlinkNotFoundError).errnoName).toBe('ENOENT');
  });
});
