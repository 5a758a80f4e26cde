// The same sequence of operations against RecordingNetlink and against the kernel (in a fresh
// namespace): both must end in the same state and refuse the same requests with the same errno.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestNetns, isRoot, type TestNetns } from '../__fixtures__/netns.js';
import type { NetlinkError } from '../errors.js';
import { createNetlink } from '../kernel-netlink.js';
import type { Netlink } from '../netlink.js';
import {
  captureNetlinkState, createRecordingNetlink, runNetlinkEventScenario, runNetlinkScenario, type RecordingNetlink,
} from './index.js';

describe.skipIf(!isRoot)(`RecordingNetlink against the kernel (root)${isRoot ? '' : ' (skipped: needs root)'}`, () => {
  let ns: TestNetns;
  let kernel: Netlink;
  beforeEach(async () => {
    ns = createTestNetns('fake');
    kernel = await createNetlink({ netns: { name: ns.name } });
  });
  afterEach(async () => {
    await kernel.close();
    ns.remove();
  });

  it('ends in the same state and refuses the same operations', async () => {
    const fake = createRecordingNetlink();
    const kernelLog = await runNetlinkScenario(kernel);
    const fakeLog = await runNetlinkScenario(fake);
    expect(fakeLog).toEqual(kernelLog);
    const kernelState = await captureNetlinkState(kernel);
    expect(kernelState.routes.length).toBeGreaterThan(3); // the comparison is not of two empty lists
    expect(await captureNetlinkState(fake)).toEqual(kernelState);
  });

  it('sends the same events, in the same order, when flannel.1 is programmed and deleted from outside', async () => {
    const fake: RecordingNetlink = createRecordingNetlink();
    const kernelLines = await runNetlinkEventScenario(kernel, async () => ns.ip('link', 'del', 'flannel.1'));
    const fakeLines = await runNetlinkEventScenario(fake, () => fake.outside.deleteLink('flannel.1'));
    expect(kernelLines).toContain('dellink flannel.1 down');
    expect(fakeLines).toEqual(kernelLines);
  });

  it('prints commands that rebuild its state with ip and bridge', async () => {
    const fake = createRecordingNetlink();
    await runNetlinkScenario(fake);
    for (const command of fake.toCommands()) {
      const [tool, ...args] = command.split(' ');
      if (tool === 'ip') ns.ip(...args);
      else ns.bridge(...args);
    }
    expect(await captureNetlinkState(kernel)).toEqual(await captureNetlinkState(fake));
  });

  it('answers getRoute alike for direct and gatewayed destinations', async () => {
    const fake = createRecordingNetlink();
    await runNetlinkScenario(kernel);
    await runNetlinkScenario(fake);
    for (const address of ['192.168.50.9', '10.5.31.7', '10.6.0.9', '10.0.0.1', '10.99.1.1', '192.168.50.1', 'fd70:0:0:34::9', 'fd60::1', 'fd99::1']) {
      const pick = async (netlink: Netlink) => {
        try {
          return (await netlink.getRoute(address)).map((r) => ({ destination: r.destination, gateway: r.gateway, index: r.index }));
        } catch (error) {
          return (error as NetlinkError).errnoName;
        }
      };
      expect(await pick(fake), address).toEqual(await pick(kernel));
    }
  });
});
