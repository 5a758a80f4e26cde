import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlannelError, IpNet, parseNetworkConfig } from '@flannel-ts/core';
import type { Logger, SubnetManager } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import type { MemorySubnetManager } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { RecordingNetlink } from '@flannel-ts/netlink/testing';
import type { TrafficManager } from '@flannel-ts/traffic-rules';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { agentOptions } from './agent-options.js';
import type { AgentOptions } from './agent-options.js';
import type { DaemonReadyState } from './daemon-dependencies.js';
import { FLANNELD_BACKENDS } from './flanneld-dependencies.js';
import { startHealthServer } from './health-server.js';
import { runDaemon } from './run-daemon.js';
import type { RunDaemonDependencies } from './run-daemon.js';

const VXLAN_CONFIG = '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}';

interface LogLine {
  level: string;
  message: string;
}

function recordingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (first: string | Record<string, unknown>, second?: string): void => {
      lines.push({ level, message: typeof first === 'string' ? first : (second ?? '') });
    };
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

function fakeTrafficManager(calls: string[]): TrafficManager {
  return {
    mode: 'iptables',
    init: async () => void calls.push('init'),
    cleanUp: async () => void calls.push('cleanUp'),
    cleanUpOtherMode: async () => void calls.push('cleanUpOtherMode'),
    setupAndEnsureMasqRules: async (setup) => void calls.push(`masq ${String(setup.network)} ${String(setup.subnet)}`),
    setupAndEnsureForwardRules: async (setup) => void calls.push(`forward ${String(setup.network)}`),
    resyncNow: async () => 0,
  };
}

/** The test keeps using the kernel model after the daemon closed its handle. */
function unclosable(netlink: RecordingNetlink): RecordingNetlink {
  return Object.create(netlink, { close: { value: async () => {} } }) as RecordingNetlink;
}

interface Harness {
  manager: MemorySubnetManager;
  netlink: RecordingNetlink;
  traffic: string[];
  logs: LogLine[];
  controller: AbortController;
  ready: Promise<DaemonReadyState>;
  netlinkOpened: () => boolean;
  dependencies: RunDaemonDependencies;
}

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'flannel-ts-daemon-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function harness(overrides: Partial<RunDaemonDependencies> & { config?: string; manager?: SubnetManager } = {}): Harness {
  const manager = createMemorySubnetManager({ ...(overrides.config === '' ? {} : { config: overrides.config ?? VXLAN_CONFIG }), random: () => 0 });
  const netlink = createRecordingNetlink({
    links: [{ name: 'eth0', mtu: 1500, addresses: ['192.168.1.10/24'] }],
    routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 }],
  });
  const traffic: string[] = [];
  const logs: LogLine[] = [];
  const controller = new AbortController();
  let opened = false;
  let resolveReady!: (state: DaemonReadyState) => void;
  const ready = new Promise<DaemonReadyState>((resolve) => (resolveReady = resolve));
  const dependencies: RunDaemonDependencies = {
    createSubnetManager: () => overrides.manager ?? manager,
    createNetlink: () => {
      opened = true;
      return unclosable(netlink);
    },
    backends: FLANNELD_BACKENDS,
    createTrafficManager: () => fakeTrafficManager(traffic),
    pathExists: async () => true,
    sleep: async () => {},
    onReady: resolveReady,
    logger: recordingLogger(logs),
    signal: controller.signal,
    ...overrides,
  };
  return { manager, netlink, traffic, logs, controller, ready, netlinkOpened: () => opened, dependencies };
}

const optionsWith = (options: Partial<AgentOptions> = {}) => agentOptions({ subnetFile: join(directory, 'subnet.env'), ...options });

const errorsOf = (logs: LogLine[]): string => logs.filter((line) => line.level === 'error').map((line) => line.message).join('\n');

describe('runDaemon', () => {
  it('starts in flannel order, writes subnet.env, and leaves the data path in place on SIGTERM', async () => {
    const h = harness();
    const running = runDaemon(optionsWith({ ipMasq: true }), h.dependencies);
    const state = await h.ready;
    expect(state).toEqual({ backendType: 'vxlan', externalInterface: 'eth0', subnet: '10.5.1.0/24', mtu: 1450 });
    expect(readFileSync(join(directory, 'subnet.env'), 'utf8')).toBe(
      'FLANNEL_NETWORK=10.5.0.0/16\nFLANNEL_SUBNET=10.5.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
    );
    expect(h.traffic).toEqual(['cleanUpOtherMode', 'init', 'masq 10.5.0.0/16 10.5.1.0/24', 'forward 10.5.0.0/16']);
    const messages = h.logs.map((line) => line.message);
    const order = ['Found network config - Backend type: vxlan', 'Using interface with name eth0 and address 192.168.1.10', 'Wrote subnet file to', 'flannel is ready', 'Running backend.'];
    const positions = order.map((text) => messages.findIndex((message) => message.startsWith(text)));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    h.controller.abort();
    expect(await running).toBe(0);
    expect(h.logs.at(-1)?.message).toBe('Exiting cleanly...');
    expect(h.netlink.callNames()).not.toContain('deleteLink');
    expect(h.netlink.toCommands().join('\n')).toContain('flannel.1');
    expect(h.manager.listLeases().map((lease) => lease.subnet?.toString())).toEqual(['10.5.1.0/24']);
  });

  it('programs a remote host that joins while running', async () => {
    const h = harness();
    const running = runDaemon(optionsWith(), h.dependencies);
    await h.ready;
    h.manager.putLease({
      subnet: IpNet.parse('10.5.7.0/24'),
      attributes: { publicIP: '192.168.1.11', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"0a:00:00:00:00:07"}' },
      ttlMs: 60_000,
    });
    await expect.poll(() => h.netlink.toCommands().join('\n')).toContain('10.5.7.0/24 via 10.5.7.0 dev flannel.1 onlink');
    h.controller.abort();
    expect(await running).toBe(0);
  });

  it('runs host-gw from the backend map: a route per remote host via its public IP', async () => {
    const h = harness({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"host-gw"}}' });
    const running = runDaemon(optionsWith(), h.dependencies);
    expect((await h.ready).mtu).toBe(1500);
    h.manager.putLease({ subnet: IpNet.parse('10.5.7.0/24'), attributes: { publicIP: '192.168.1.11', backendType: 'host-gw' }, ttlMs: 60_000 });
    await expect.poll(() => h.netlink.toCommands().join('\n')).toContain('10.5.7.0/24 via 192.168.1.11 dev eth0');
    h.controller.abort();
    expect(await running).toBe(0);
  });

  it('waits for the network config, retrying with a clear message', async () => {
    let attempts = 0;
    const h = harness({ config: '' });
    const dependencies: RunDaemonDependencies = {
      ...h.dependencies,
      sleep: async () => {
        attempts += 1;
        if (attempts === 3) h.manager.setConfig(VXLAN_CONFIG);
      },
    };
    const running = runDaemon(optionsWith(), dependencies);
    await h.ready;
    expect(attempts).toBe(3);
    const waits = h.logs.filter((line) => line.message.startsWith("Couldn't fetch network config"));
    expect(waits).toHaveLength(1);
    expect(waits[0]?.message).toContain('retrying every 1 s');
    h.controller.abort();
    expect(await running).toBe(0);
  });

  it('exits 0 when stopped while waiting for the config, having created nothing', async () => {
    const h = harness({ config: '' });
    const dependencies: RunDaemonDependencies = { ...h.dependencies, sleep: async () => h.controller.abort() };
    expect(await runDaemon(optionsWith(), dependencies)).toBe(0);
    expect(h.netlinkOpened()).toBe(false);
  });

  it('exits 1 on an invalid config before opening netlink or taking a lease', async () => {
    const h = harness();
    const invalid: SubnetManager = {
      ...h.manager,
      getNetworkConfig: async () => parseNetworkConfig('{"Network":"10.5.0.0/16","SubnetLen":31}').config,
    };
    const status = await runDaemon(optionsWith(), { ...h.dependencies, createSubnetManager: () => invalid });
    expect(status).toBe(1);
    expect(errorsOf(h.logs)).toContain('SubnetLen 31');
    expect(h.netlinkOpened()).toBe(false);
    expect(h.manager.listLeases()).toEqual([]);
    expect(existsSync(join(directory, 'subnet.env'))).toBe(false);
  });

  it('exits 1 naming an unknown backend type, creating nothing', async () => {
    const h = harness({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"ipip"}}' });
    expect(await runDaemon(optionsWith(), h.dependencies)).toBe(1);
    expect(errorsOf(h.logs)).toContain('unknown backend type: ipip (this flannel-ts supports alloc, extension, host-gw, udp, vxlan, wireguard)');
    expect(h.netlinkOpened()).toBe(false);
    expect(h.manager.listLeases()).toEqual([]);
  });

  it.each(['constructor', '__proto__'])('exits 1 naming the backend type %s, which is no own entry of the backend map', async (type) => {
    const h = harness({ config: `{"Network":"10.5.0.0/16","Backend":{"Type":"${type}"}}` });
    expect(await runDaemon(optionsWith(), h.dependencies)).toBe(1);
    expect(errorsOf(h.logs)).toContain(`unknown backend type: ${type} (this flannel-ts supports alloc, extension, host-gw, udp, vxlan, wireguard)`);
    expect(h.netlinkOpened()).toBe(false);
    expect(h.manager.listLeases()).toEqual([]);
  });

  it('exits 1 naming an invalid backend option before any device or lease exists', async () => {
    const h = harness({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan","VNI":-1}}' });
    expect(await runDaemon(optionsWith(), h.dependencies)).toBe(1);
    expect(errorsOf(h.logs)).toContain('Backend.VNI -1 is invalid');
    expect(h.netlinkOpened()).toBe(false);
    expect(h.manager.listLeases()).toEqual([]);
  });

  it('exits 1 when br_netfilter is missing in iptables mode', async () => {
    const h = harness({ pathExists: async () => false });
    expect(await runDaemon(optionsWith(), h.dependencies)).toBe(1);
    expect(errorsOf(h.logs)).toContain('/proc/sys/net/bridge/bridge-nf-call-iptables does not exist');
    expect(h.manager.listLeases()).toEqual([]);
  });

  it('uses the stored node-public-ip in place of --public-ip, as flanneld GetStoredPublicIP', async () => {
    const memory = createMemorySubnetManager({ config: VXLAN_CONFIG, random: () => 0 });
    const manager: SubnetManager = { ...memory, getStoredNodeData: async () => ({ publicIP: '192.168.1.10' }) };
    const h = harness({ manager });
    const running = runDaemon(optionsWith({ publicIP: '203.0.113.9' }), h.dependencies);
    await h.ready;
    h.controller.abort();
    expect(await running).toBe(0);
    expect(memory.listLeases()[0]?.attributes.publicIP).toBe('192.168.1.10');
    expect(h.logs.map((line) => line.message)).toContain('Using the node-public-ip annotation as the public IP: 192.168.1.10');
  });

  it('exits 1 when no interface matches --iface, creating nothing', async () => {
    const h = harness();
    expect(await runDaemon(optionsWith({ iface: ['eth9'] }), h.dependencies)).toBe(1);
    expect(errorsOf(h.logs)).toContain('no interface named eth9');
    expect(h.netlink.calls).toEqual([]);
    expect(h.manager.listLeases()).toEqual([]);
  });

  it('reuses the subnet recorded in the previous subnet.env', async () => {
    writeFileSync(join(directory, 'subnet.env'), 'FLANNEL_NETWORK=10.5.0.0/16\nFLANNEL_SUBNET=10.5.42.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n');
    const h = harness();
    const running = runDaemon(optionsWith(), h.dependencies);
    expect((await h.ready).subnet).toBe('10.5.42.0/24');
    h.controller.abort();
    expect(await running).toBe(0);
  });

  it('stops with exit 1 and a clear message when its lease is revoked', async () => {
    const h = harness();
    const running = runDaemon(optionsWith(), h.dependencies);
    await h.ready;
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.1.0/24') });
    expect(await running).toBe(1);
    expect(errorsOf(h.logs)).toMatch(/The lease was revoked/);
  });

  it('serves /healthz always and /readyz once subnet.env is written', async () => {
    const h = harness({ config: '' });
    let url = '';
    let waiting!: () => void;
    const firstRetry = new Promise<void>((resolve) => (waiting = resolve));
    let release!: () => void;
    const configured = new Promise<void>((resolve) => (release = resolve));
    const dependencies: RunDaemonDependencies = {
      ...h.dependencies,
      startHealthServer: async (options) => {
        const server = await startHealthServer({ ...options, host: '127.0.0.1', port: 0 });
        url = `http://127.0.0.1:${server.address.port}`;
        return server;
      },
      sleep: async () => {
        waiting();
        await configured;
      },
    };
    const running = runDaemon(optionsWith({ healthzPort: 8285 }), dependencies);
    await firstRetry;
    const before = await fetch(`${url}/readyz`);
    expect([before.status, await before.text()]).toEqual([503, 'flanneld is not ready yet']);
    const live = await fetch(`${url}/healthz`);
    expect([live.status, await live.text()]).toEqual([200, 'flanneld is running']);
    h.manager.setConfig(VXLAN_CONFIG);
    release();
    await h.ready;
    const after = await fetch(`${url}/readyz`);
    expect([after.status, await after.text()]).toEqual([200, 'flanneld is ready']);
    const missing = await fetch(`${url}/metrics`);
    expect(missing.status).toBe(404);
    h.controller.abort();
    expect(await running).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('exits 0 when stopped during registration, whatever the interrupted step rejects with', async () => {
    const h = harness();
    const dependencies: RunDaemonDependencies = {
      ...h.dependencies,
      backends: {
        vxlan: {
          create: () => () => ({
            specificationVersion: 'v1',
            type: 'vxlan',
            registerNetwork: async () => {
              h.controller.abort();
              throw new FlannelError('DATASTORE_UNAVAILABLE', 'etcd connection closed');
            },
          }),
        },
      },
    };
    expect(await runDaemon(optionsWith(), dependencies)).toBe(0);
    expect(h.logs.at(-1)?.message).toBe('Exiting cleanly...');
    expect(errorsOf(h.logs)).toBe('');
  });

  it("closes the network once its run has ended, on shutdown and when a later startup step fails", async () => {
    for (const failTraffic of [false, true]) {
      const h = harness();
      const order: string[] = [];
      const dependencies: RunDaemonDependencies = {
        ...h.dependencies,
        ...(failTraffic
          ? {
              createTrafficManager: () => ({
                ...fakeTrafficManager([]),
                setupAndEnsureMasqRules: async () => {
                  throw new FlannelError('TRAFFIC_RULES_FAILED', 'iptables-restore: exit status 4');
                },
              }),
            }
          : {}),
        backends: {
          vxlan: {
            create: () => (context) => ({
              specificationVersion: 'v1',
              type: 'vxlan',
              registerNetwork: async () => ({
                lease: await context.subnetManager.acquireLease({ publicIP: '192.168.1.1', backendType: 'vxlan' }),
                mtu: 1450,
                run: (signal) =>
                  new Promise<void>((resolve) => {
                    order.push('run');
                    signal.addEventListener('abort', () => setImmediate(() => (order.push('run ended'), resolve())), { once: true });
                  }),
                close: async () => void order.push('close'),
              }),
            }),
          },
        },
      };
      const status = runDaemon(optionsWith({ ipMasq: failTraffic }), dependencies);
      if (!failTraffic) {
        await vi.waitFor(() => expect(order).toEqual(['run']));
        h.controller.abort();
      }
      expect(await status).toBe(failTraffic ? 1 : 0);
      expect(order).toEqual(failTraffic ? ['close'] : ['run', 'run ended', 'close']);
    }
  });

  it('exits 1 when the masquerade rules fail, before subnet.env or forward rules', async () => {
    const h = harness();
    let forwardSignal: AbortSignal | undefined;
    const traffic: TrafficManager = {
      ...fakeTrafficManager([]),
      setupAndEnsureForwardRules: async (setup) => void (forwardSignal = setup.signal),
      setupAndEnsureMasqRules: async () => {
        throw new FlannelError('TRAFFIC_RULES_FAILED', 'iptables-restore: exit status 4');
      },
    };
    const status = await runDaemon(optionsWith({ ipMasq: true }), { ...h.dependencies, createTrafficManager: () => traffic });
    expect(status).toBe(1);
    expect(errorsOf(h.logs)).toContain('iptables-restore: exit status 4');
    expect(existsSync(join(directory, 'subnet.env'))).toBe(false);
    expect(forwardSignal).toBeUndefined();
  });

  it('exits 1 when the subnet manager cannot be created', async () => {
    const h = harness({
      createSubnetManager: () => {
        throw new FlannelError('FLAG_INVALID', 'subnet-lease-renew-margin 0 is invalid: must be 1..1439 minutes');
      },
    });
    expect(await runDaemon(optionsWith(), h.dependencies)).toBe(1);
    expect(errorsOf(h.logs)).toContain('Failed to create SubnetManager: subnet-lease-renew-margin 0 is invalid');
  });
});
