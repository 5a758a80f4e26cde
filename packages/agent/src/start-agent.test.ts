import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpNet } from '@flannel-ts/core';
import type { FlannelError } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { TrafficManager } from '@flannel-ts/traffic-rules';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentEvents } from './agent-events.js';
import type { DaemonDependencies } from './daemon-dependencies.js';
import { FLANNELD_BACKENDS } from './flanneld-dependencies.js';
import { startAgent } from './start-agent.js';
import type { Agent } from './start-agent.js';

const noTraffic: TrafficManager = {
  mode: 'iptables',
  init: async () => {},
  cleanUp: async () => {},
  cleanUpOtherMode: async () => {},
  setupAndEnsureMasqRules: async () => {},
  setupAndEnsureForwardRules: async () => {},
  resyncNow: async () => 0,
};

/** Resolves with the listener arguments of the next `name` event. */
const next = <K extends keyof AgentEvents>(agent: Agent, name: K): Promise<AgentEvents[K]> =>
  new Promise((resolve) => agent.once(name, ((...args: AgentEvents[K]) => resolve(args)) as never));

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'flannel-ts-agent-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function setup(backendType = 'vxlan') {
  const manager = createMemorySubnetManager({ config: `{"Network":"10.5.0.0/16","Backend":{"Type":"${backendType}"}}`, random: () => 0 });
  const netlink = createRecordingNetlink({
    links: [{ name: 'eth0', mtu: 1500, addresses: ['192.168.1.10/24'] }],
    routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 }],
  });
  const dependencies: DaemonDependencies = {
    createSubnetManager: () => manager,
    createNetlink: () => Object.create(netlink, { close: { value: async () => {} } }) as typeof netlink,
    backends: FLANNELD_BACKENDS,
    createTrafficManager: () => noTraffic,
    pathExists: async () => true,
    sleep: async () => {},
  };
  return { manager, dependencies };
}

const PEER = { subnet: IpNet.parse('10.5.9.0/24'), attributes: { publicIP: '192.168.1.20', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}' } };

describe('startAgent', () => {
  it('reports ready, the lease and peers coming and going, and stops with exit 0 on abort', async () => {
    const { manager, dependencies } = setup();
    const controller = new AbortController();
    const agent = startAgent({ subnetFile: join(directory, 'subnet.env') }, { signal: controller.signal, dependencies, env: {} });
    const acquired = next(agent, 'lease-acquired');
    const [state] = await next(agent, 'ready');
    expect(state).toMatchObject({ backendType: 'vxlan', externalInterface: 'eth0', subnet: '10.5.1.0/24' });
    expect((await acquired)[0].subnet?.toString()).toBe('10.5.1.0/24');

    const added = next(agent, 'peer-added');
    manager.putLease(PEER);
    const [peer] = await added;
    expect(peer.subnet?.toString()).toBe('10.5.9.0/24');

    const removed = next(agent, 'peer-removed');
    manager.deleteLease({ subnet: PEER.subnet });
    expect((await removed)[0].subnet?.toString()).toBe('10.5.9.0/24');

    controller.abort();
    expect(await agent.done).toBe(0);
  });

  it('reports a revoked lease as lease-lost and error, then stops with exit 1', async () => {
    const { manager, dependencies } = setup();
    const agent = startAgent({ subnetFile: join(directory, 'subnet.env') }, { signal: new AbortController().signal, dependencies, env: {} });
    const lost: FlannelError[] = [];
    const errors: unknown[] = [];
    agent.on('lease-lost', (error) => lost.push(error));
    agent.on('error', (error) => errors.push(error));
    await next(agent, 'ready');
    manager.deleteLease({ subnet: IpNet.parse('10.5.1.0/24') });
    expect(await agent.done).toBe(1);
    expect(lost.map((error) => error.code)).toEqual(['LEASE_REVOKED']);
    expect(errors).toEqual(lost);
  });

  it.each(['vxlan', 'alloc (its single-lease watch)'])('reports a renewal of the own lease that the watch shows: %s', async (backend) => {
    const { manager, dependencies } = setup(backend.split(' ')[0]);
    const controller = new AbortController();
    const agent = startAgent({ subnetFile: join(directory, 'subnet.env') }, { signal: controller.signal, dependencies, env: {} });
    const [lease] = await next(agent, 'lease-acquired');
    await next(agent, 'ready');
    const renewed = next(agent, 'lease-renewed');
    await manager.renewLease(lease);
    expect((await renewed)[0].subnet?.toString()).toBe('10.5.1.0/24');
    controller.abort();
    expect(await agent.done).toBe(0);
  });

  it('reports data-path-repaired for a full pass after the first that changed the kernel, or a recreated device', async () => {
    const { dependencies } = setup();
    const reports = [
      { mode: 'full', operations: 5, failed: 0, recreated: [] }, // the first pass programs everything: no repair
      { mode: 'incremental', operations: 3, failed: 0, recreated: [] }, // a new peer: no repair
      { mode: 'full', operations: 0, failed: 0, recreated: [] }, // nothing missing
      { mode: 'full', operations: 2, failed: 0, recreated: [] }, // repaired
      { mode: 'devices', operations: 1, failed: 0, recreated: ['flannel.1'] }, // device recreated
    ];
    const vxlan = FLANNELD_BACKENDS.vxlan!;
    const backends = {
      vxlan: {
        ...vxlan,
        create: (boundaries: Parameters<typeof vxlan.create>[0]) => async (context: Parameters<ReturnType<typeof vxlan.create>>[0]) => {
          const backend = await vxlan.create(boundaries)(context);
          return {
            ...backend,
            registerNetwork: async (options: Parameters<typeof backend.registerNetwork>[0]) => {
              const network = await backend.registerNetwork(options);
              return { ...network, run: async (signal: AbortSignal) => {
                for (const report of reports) boundaries.onReconcile?.(report);
                await network.run(signal);
              } };
            },
          };
        },
      },
    };
    const controller = new AbortController();
    const agent = startAgent({ subnetFile: join(directory, 'subnet.env') }, { signal: controller.signal, dependencies: { ...dependencies, backends }, env: {} });
    const repairs: unknown[] = [];
    agent.on('data-path-repaired', (repair) => repairs.push(repair));
    await next(agent, 'ready');
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await agent.done).toBe(0);
    expect(repairs).toEqual([
      { backendType: 'vxlan', operations: 2, failed: 0, recreated: [] },
      { backendType: 'vxlan', operations: 1, failed: 0, recreated: ['flannel.1'] },
    ]);
  });

  it('keeps running when a listener throws', async () => {
    const { manager, dependencies } = setup();
    const controller = new AbortController();
    const agent = startAgent({ subnetFile: join(directory, 'subnet.env') }, { signal: controller.signal, dependencies, env: {} });
    const ready = next(agent, 'ready');
    agent.on('ready', () => {
      throw new Error('listener bug');
    });
    agent.on('peer-added', () => {
      throw new Error('listener bug');
    });
    await ready;
    const removed = next(agent, 'peer-removed');
    manager.putLease(PEER);
    manager.deleteLease({ subnet: PEER.subnet });
    await removed;
    controller.abort();
    expect(await agent.done).toBe(0);
  });

  it('reports a fatal startup error without a listener throwing', async () => {
    const { dependencies } = setup();
    const agent = startAgent({}, { signal: new AbortController().signal, dependencies: { ...dependencies, backends: {} }, env: {} });
    expect(await agent.done).toBe(1);
  });
});

