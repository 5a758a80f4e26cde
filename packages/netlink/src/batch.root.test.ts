import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from './__fixtures__/netns.js';
import { NetlinkError, NetlinkInvalidArgumentError } from './errors.js';
import { createNetlink } from './kernel-netlink.js';
import type { Netlink, NetlinkOperation } from './netlink.js';

/** The three kernel objects flannel's vxlan backend programs per remote host. */
function remoteHost(i: number, vx: number): NetlinkOperation[] {
  const subnet = `10.${100 + (i >> 8)}.${i & 0xff}.0`;
  const mac = `02:bb:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
  return [
    { op: 'replaceNeighbour', neighbour: { family: 4, index: vx, address: subnet, hardwareAddress: mac } },
    { op: 'replaceFdb', entry: { index: vx, hardwareAddress: mac, destination: `192.168.${80 + (i >> 8)}.${(i & 0xff) || 1}` } },
    { op: 'replaceRoute', route: { family: 4, destination: `${subnet}/24`, gateway: subnet, index: vx, onlink: true } },
  ];
}

describe.skipIf(!isRoot)(`batch (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let netlink: Netlink;
  let vx: number;
  beforeEach(async () => {
    ns = createTestNetns('batch');
    netlink = await createNetlink({ netns: { name: ns.name }, batchWindow: 256 });
    const br = (await netlink.addLink({ name: 'br0', kind: 'bridge', up: true })).index;
    vx = (await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, underlayIndex: br }, up: true })).index;
  });
  afterEach(async () => {
    await netlink.close();
    ns.remove();
  });

  it('applies many operations over several windows, every ACK matched', async () => {
    const operations = Array.from({ length: 700 }, (_, i) => remoteHost(i, vx)).flat();
    const results = await netlink.batch(operations);
    expect(results).toHaveLength(2100);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(ns.ip('route', 'show', 'dev', 'flannel.1').trim().split('\n')).toHaveLength(700);
    expect(ns.ip('neigh', 'show', 'dev', 'flannel.1').trim().split('\n')).toHaveLength(700);
    expect(ns.bridge('fdb', 'show', 'dev', 'flannel.1').split('\n').filter((l) => l.includes(' dst '))).toHaveLength(700);
  });

  it('fails one kernel-refused entry alone and reports which one, with the request', async () => {
    const operations: NetlinkOperation[] = [
      ...remoteHost(1, vx),
      { op: 'replaceRoute', route: { family: 4, destination: '10.200.0.0/24', gateway: '10.200.0.0', index: 9999, onlink: true } },
      ...remoteHost(2, vx),
    ];
    const results = await netlink.batch(operations);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, true, true, true]);
    const failed = results[3]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(NetlinkError.isInstance(failed.error) && failed.error.errnoName).toBe('ENODEV');
      expect((failed.error as NetlinkError).request).toEqual(operations[3]!.op === 'replaceRoute' ? operations[3]!.route : undefined);
      expect((failed.error as NetlinkError).operation).toBe('replaceRoute');
    }
    expect(ns.ip('route', 'show', 'dev', 'flannel.1').trim().split('\n')).toHaveLength(2);
  });

  it('fails an invalid entry alone before anything of it is sent', async () => {
    const operations: NetlinkOperation[] = [
      { op: 'replaceNeighbour', neighbour: { family: 4, index: vx, address: '10.5.1.0', hardwareAddress: 'not-a-mac' } },
      ...remoteHost(3, vx),
    ];
    const results = await netlink.batch(operations);
    expect(results[0]!.ok).toBe(false);
    if (!results[0]!.ok) expect(NetlinkInvalidArgumentError.isInstance(results[0]!.error)).toBe(true);
    expect(results.slice(1).every((r) => r.ok)).toBe(true);
  });

  it('resolves an empty batch to no results', async () => {
    expect(await netlink.batch([])).toEqual([]);
  });
});
