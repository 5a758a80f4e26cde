import { FlannelError, IpNet, silentLogger } from '@flannel-ts/core';
import type { ExternalInterface, Logger, Network } from '@flannel-ts/core';
import { createMemorySubnetManager, passWaiters, recordingLogger } from '@flannel-ts/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExtensionBackend } from './extension-backend.js';
import type { ExtensionBatchReport } from './extension-network.js';
import type { CommandScript } from './testing/index.js';
import { createRecordingCommandRunner, exited } from './testing/index.js';

const EXT: ExternalInterface = { name: 'eth0', index: 2, mtu: 1450, address: '192.168.1.1', publicIP: '203.0.113.9' };

const running: Array<{ controller: AbortController; done: Promise<void> }> = [];
afterEach(async () => {
  for (const { controller, done } of running.splice(0)) {
    controller.abort();
    await done;
  }
});

function setup(backend: Record<string, unknown>, options: { script?: CommandScript; ipv6?: boolean; ext?: Partial<ExternalInterface>; logger?: Logger } = {}) {
  const manager = createMemorySubnetManager({
    config: JSON.stringify({ Network: '10.5.0.0/16', ...(options.ipv6 ? { EnableIPv6: true, IPv6Network: 'fd10::/56' } : {}), Backend: { Type: 'extension', ...backend } }),
    random: () => 0,
  });
  const runner = createRecordingCommandRunner(options.script);
  const passes = passWaiters();
  const reports: ExtensionBatchReport[] = [];
  const factory = createExtensionBackend({
    runCommand: runner.run,
    environment: { PATH: '/usr/bin:/bin', HOME: '/root' },
    logger: options.logger ?? silentLogger,
    onBatch: (report) => {
      reports.push(report);
      passes.notify();
    },
  });
  return {
    manager,
    runner,
    reports,
    nextPass: () => passes.next(),
    async register(): Promise<Network> {
      const created = await factory({ subnetManager: manager, externalInterface: { ...EXT, ...options.ext }, logger: silentLogger });
      return created.registerNetwork({ config: await manager.getNetworkConfig() });
    },
    start(network: Network): void {
      const controller = new AbortController();
      running.push({ controller, done: network.run(controller.signal) });
    },
  };
}

const remote = (subnet: string, publicIP: string, backendData?: string, backendType = 'extension') => ({
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType, ...(backendData === undefined ? {} : { backendData }) },
  ttlMs: 60_000,
});

describe('extension backend: startup', () => {
  it("turns PreStartupCommand's trimmed output into BackendData, a JSON string with Go's HTML escaping", async () => {
    const lab = setup({ PreStartupCommand: '/etc/flannel/pre.sh' }, { script: () => exited('\n  10.0.0.1 <eth0> & "x"\n') });
    const network = await lab.register();
    expect(lab.runner.calls[0]).toMatchObject({ argv: ['/etc/flannel/pre.sh'], stdin: '\n' });
    expect(network.lease.attributes).toEqual({
      backendType: 'extension',
      publicIP: '192.168.1.1',
      backendData: '"10.0.0.1 \\u003ceth0\\u003e \\u0026 \\"x\\""',
    });
  });

  it('publishes no BackendData without a PreStartupCommand, and the interface address (not --public-ip) as PublicIP', async () => {
    const lab = setup({});
    const network = await lab.register();
    expect(network.lease.attributes).toEqual({ backendType: 'extension', publicIP: '192.168.1.1' });
    expect(network.mtu).toBe(1450);
    expect(lab.runner.calls).toEqual([]);
  });

  it('gives PostStartupCommand NETWORK, SUBNET, IPV6SUBNET, PUBLIC_IP and PUBLIC_IPV6 (Go zero values when IPv6 is off)', async () => {
    const lab = setup({ PostStartupCommand: '/post.sh $SUBNET ${NETWORK} $HOME' });
    const network = await lab.register();
    const call = lab.runner.calls[0]!;
    expect(call.argv).toEqual(['/post.sh', network.lease.subnet!.toString(), '10.5.0.0/16', '/root']);
    expect(call.env).toMatchObject({
      PATH: '/usr/bin:/bin',
      NETWORK: '10.5.0.0/16',
      SUBNET: network.lease.subnet!.toString(),
      IPV6SUBNET: '::/0',
      PUBLIC_IP: '192.168.1.1',
      PUBLIC_IPV6: '<nil>',
    });
  });

  it('gives PostStartupCommand the IPv6 subnet and address in dual stack', async () => {
    const lab = setup({ PostStartupCommand: '/post.sh' }, { ipv6: true, ext: { address6: 'fd00::1' } });
    const network = await lab.register();
    expect(lab.runner.calls[0]!.env).toMatchObject({ IPV6SUBNET: network.lease.ipv6Subnet!.toString(), PUBLIC_IPV6: 'fd00::1' });
  });

  it('fails registration when PreStartupCommand fails, naming the command, the status and the output, before any lease', async () => {
    const lab = setup({ PreStartupCommand: '/pre.sh' }, { script: () => exited('boom', 3) });
    await expect(lab.register()).rejects.toThrow('PreStartupCommand "/pre.sh" exited with status 3; output: "boom"');
    expect(lab.manager.listLeases()).toEqual([]);
  });

  it('fails registration when PostStartupCommand fails', async () => {
    const lab = setup({ PostStartupCommand: '/post.sh' }, { script: () => exited('', 1) });
    await expect(lab.register()).rejects.toMatchObject({ code: 'BACKEND_FAILED', message: expect.stringContaining('PostStartupCommand "/post.sh" exited with status 1') });
  });

  it('names a missing program', async () => {
    const lab = setup({ PreStartupCommand: '/nope/pre.sh' }, { script: () => ({ kind: 'not-started', code: 'ENOENT', message: 'spawn ENOENT' }) });
    await expect(lab.register()).rejects.toThrow('PreStartupCommand "/nope/pre.sh" could not be started: "/nope/pre.sh" was not found (ENOENT)');
  });

  it('reports a command that hung past its time limit', async () => {
    const lab = setup({ PreStartupCommand: '/pre.sh' }, { script: () => ({ kind: 'timed-out', output: new TextEncoder().encode('waiting') }) });
    await expect(lab.register()).rejects.toThrow('PreStartupCommand "/pre.sh" did not finish within 60 s and was killed; output: "waiting"');
  });

  it('refuses PreStartupCommand output that is not UTF-8 text', async () => {
    const lab = setup({ PreStartupCommand: '/pre.sh' }, { script: () => ({ kind: 'exited', exitCode: 0, signal: null, output: Uint8Array.of(0x61, 0xff) }) });
    await expect(lab.register()).rejects.toThrow('PreStartupCommand "/pre.sh" output is invalid for BackendData: it is not UTF-8 text');
  });

  it('refuses PreStartupCommand output larger than a pipe buffer', async () => {
    const lab = setup({ PreStartupCommand: '/pre.sh' }, { script: () => exited('x'.repeat(70_000)) });
    await expect(lab.register()).rejects.toThrow('output is invalid for BackendData: 70000 bytes, must be at most 65535');
  });

  it.each([
    { backend: { SubnetAddCommand: 5 }, message: 'Backend.SubnetAddCommand 5 is invalid: must be a string' },
    { backend: { subnetremovecommand: '  ' }, message: 'Backend.SubnetRemoveCommand "  " is invalid: must name a command (it is only white space)' },
  ])('refuses an invalid config before running anything: $message', async ({ backend, message }) => {
    const lab = setup({ PreStartupCommand: '/pre.sh', ...backend });
    await expect(lab.register()).rejects.toMatchObject({ code: 'CONFIG_INVALID', message });
    expect(lab.runner.calls).toEqual([]);
  });
});

describe('extension backend: lease events', () => {
  it('runs SubnetAddCommand with SUBNET, PUBLIC_IP and the decoded BackendData on stdin, and SubnetRemoveCommand on removal', async () => {
    const lab = setup({ SubnetAddCommand: '/add.sh $SUBNET', SubnetRemoveCommand: '/del.sh ${SUBNET}' });
    const network = await lab.register();
    lab.start(network);
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', '"gw \\u003c9\\u003e"'));
    await lab.nextPass();
    expect(lab.runner.calls.at(-1)).toMatchObject({ argv: ['/add.sh', '10.5.9.0/24'], stdin: 'gw <9>\n' });
    expect(lab.runner.calls.at(-1)!.env).toMatchObject({ SUBNET: '10.5.9.0/24', PUBLIC_IP: '192.168.1.9', PATH: '/usr/bin:/bin' });
    lab.manager.deleteLease({ subnet: IpNet.parse('10.5.9.0/24') });
    await lab.nextPass();
    expect(lab.runner.calls.at(-1)).toMatchObject({ argv: ['/del.sh', '10.5.9.0/24'], stdin: 'gw <9>\n' });
  });

  it('does not run SubnetAddCommand again for an unchanged lease (renewal), but does when its inputs change', async () => {
    const lab = setup({ SubnetAddCommand: '/add.sh' });
    const network = await lab.register();
    lab.start(network);
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', '"a"'));
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', '"a"'));
    lab.manager.putLease(remote('10.5.8.0/24', '192.168.1.8'));
    await lab.nextPass();
    expect(lab.runner.calls.map((call) => call.env.SUBNET)).toEqual(['10.5.9.0/24', '10.5.8.0/24']);
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.99', '"a"'));
    await lab.nextPass();
    expect(lab.runner.calls.map((call) => call.env.PUBLIC_IP)).toEqual(['192.168.1.9', '192.168.1.8', '192.168.1.99']);
  });

  it('logs a failed SubnetAddCommand, keeps running and retries at the next event for that lease', async () => {
    const lab = setup({ SubnetAddCommand: '/add.sh' }, { script: () => exited('no route', 2) });
    const network = await lab.register();
    lab.start(network);
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    expect(lab.reports.at(-1)).toEqual({ ran: 1, failed: 1, skipped: 0 });
    lab.runner.respond(() => exited());
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    expect(lab.reports.at(-1)).toEqual({ ran: 1, failed: 0, skipped: 0 });
  });

  it('skips a peer whose BackendData is not a JSON string, and ignores other backend types', async () => {
    const lab = setup({ SubnetAddCommand: '/add.sh' });
    const network = await lab.register();
    lab.start(network);
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9', '{"VNI":1}'));
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.8.0/24', '192.168.1.8', undefined, 'vxlan'));
    await lab.nextPass();
    expect(lab.runner.calls).toEqual([]);
    expect(lab.reports.slice(1)).toEqual([
      { ran: 1, failed: 1, skipped: 0 },
      { ran: 0, failed: 0, skipped: 1 },
    ]);
  });

  it('runs no command for a rogue lease: wrong prefix length, over the own subnet, the whole network, a loopback or own PublicIP (issue 9)', async () => {
    const logger = recordingLogger();
    const lab = setup({ SubnetAddCommand: '/add.sh $SUBNET' }, { logger });
    const network = await lab.register();
    const own = network.lease.subnet!;
    lab.start(network);
    await lab.nextPass();
    for (const [subnet, publicIP] of [
      ['10.5.9.0/24', '192.168.1.9'],
      ['10.5.9.0/25', '192.168.1.19'],
      [`${own.address}/23`, '192.168.1.19'],
      ['10.5.0.0/16', '192.168.1.19'],
      ['10.5.40.0/24', '127.0.0.1'],
      ['10.5.41.0/24', '192.168.1.1'],
    ] as const) {
      lab.manager.putLease(remote(subnet, publicIP));
      await lab.nextPass();
    }
    expect(lab.runner.calls.map((call) => call.argv)).toEqual([['/add.sh', '10.5.9.0/24']]);
    expect(lab.reports.slice(2)).toEqual(Array.from({ length: 5 }, () => ({ ran: 0, failed: 0, skipped: 0 })));
    expect(logger.messages('warn')).toEqual([
      expect.stringContaining('10.5.9.0/25 is invalid: its prefix length must be SubnetLen 24'),
      expect.stringMatching(/\/23 is invalid: its prefix length must be SubnetLen 24/),
      expect.stringContaining('10.5.0.0/16 is invalid'),
      expect.stringContaining('PublicIP "127.0.0.1" is invalid: must not be a loopback address'),
      expect.stringContaining('PublicIP "192.168.1.1" is invalid: it is this node\'s own PublicIP'),
    ]);
  });

  it('runs SubnetRemoveCommand when a programmed lease turns rogue (its PublicIP becomes loopback)', async () => {
    const lab = setup({ SubnetAddCommand: '/add.sh $PUBLIC_IP', SubnetRemoveCommand: '/del.sh $PUBLIC_IP' });
    const network = await lab.register();
    lab.start(network);
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '192.168.1.9'));
    await lab.nextPass();
    lab.manager.putLease(remote('10.5.9.0/24', '127.0.0.1'));
    await lab.nextPass();
    expect(lab.runner.calls.map((call) => call.argv)).toEqual([
      ['/add.sh', '192.168.1.9'],
      ['/del.sh', '192.168.1.9'],
    ]);
  });

  it('re-asserts its own lease when someone else overwrites it (issue 9)', async () => {
    const logger = recordingLogger();
    const lab = setup({}, { logger });
    const network = await lab.register();
    lab.start(network);
    await lab.nextPass();
    lab.manager.putLease({ subnet: network.lease.subnet!, attributes: { ...network.lease.attributes, publicIP: '192.168.1.66' } });
    await vi.waitFor(() => expect(lab.manager.listLeases().find((lease) => lease.subnet?.equals(network.lease.subnet))?.attributes).toEqual(network.lease.attributes));
    expect(logger.messages('error')).toEqual([expect.stringContaining(`this node's lease ${network.lease.subnet} was overwritten by someone else (PublicIP 192.168.1.66)`)]);
  });

  it('passes the time limit to every command', async () => {
    const manager = createMemorySubnetManager({ config: JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'extension', PostStartupCommand: '/post' } }) });
    const runner = createRecordingCommandRunner();
    const backend = await createExtensionBackend({ runCommand: runner.run, commandTimeoutMs: 1234 })({ subnetManager: manager, externalInterface: EXT, logger: silentLogger });
    await backend.registerNetwork({ config: await manager.getNetworkConfig() });
    expect(runner.calls[0]!.timeoutMs).toBe(1234);
  });

  it('rejects ABORTED for an aborted signal without running anything', async () => {
    const lab = setup({ PreStartupCommand: '/pre.sh' });
    const backend = await createExtensionBackend({ runCommand: lab.runner.run })({ subnetManager: lab.manager, externalInterface: EXT, logger: silentLogger });
    const error = await backend.registerNetwork({ config: await lab.manager.getNetworkConfig(), signal: AbortSignal.abort() }).catch((caught: unknown) => caught);
    expect(FlannelError.isInstance(error) && error.code).toBe('ABORTED');
    expect(lab.runner.calls).toEqual([]);
  });
});
