import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@flannel-ts/core';
import { loadLibc } from '@flannel-ts/netlink';
import koffi from 'koffi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { agentOptions } from './agent-options.js';
import { FLANNELD_BACKENDS } from './flanneld-dependencies.js';
import { runDaemon } from './run-daemon.js';
import { notifySocketAddress, sdNotify } from './sd-notify.js';

// The receiving end, as systemd holds it: an AF_UNIX datagram socket bound to NOTIFY_SOCKET.
const lib = loadLibc((name) => koffi.load(name));
const socket = lib.func('int socket(int, int, int)');
const bind = lib.func('int bind(int, const void *, uint32_t)');
const recv = lib.func('intptr_t recv(int, _Out_ void *, uintptr_t, int)');
const close = lib.func('int close(int)');
const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0x80000;
const MSG_DONTWAIT = 0x40;

const open: number[] = [];
const directories: string[] = [];

function listen(notifySocket: string): { receive: () => string | undefined } {
  const fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) as number;
  expect(fd).toBeGreaterThanOrEqual(0);
  open.push(fd);
  const { address, length } = notifySocketAddress(notifySocket);
  expect(bind(fd, address, length)).toBe(0);
  return {
    // Non-blocking: sdNotify has sent the datagram (or not) by the time it resolves.
    receive: () => {
      const buffer = new Uint8Array(256);
      const received = Number(recv(fd, buffer, buffer.length, MSG_DONTWAIT));
      return received < 0 ? undefined : new TextDecoder().decode(buffer.subarray(0, received));
    },
  };
}

afterEach(async () => {
  for (const fd of open.splice(0)) close(fd);
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'flannel-ts-sd-notify-'));
  directories.push(directory);
  return directory;
}

describe('notifySocketAddress', () => {
  it('lays out sockaddr_un for a path: AF_UNIX, the path, a NUL terminator', () => {
    const { address, length } = notifySocketAddress('/run/n');
    expect(length).toBe(2 + 6 + 1);
    expect([...address.subarray(0, length + 1)]).toEqual([
      0x01, 0x00, //                          sun_family: AF_UNIX (u16, little endian)
      0x2f, 0x72, 0x75, 0x6e, 0x2f, 0x6e, // sun_path: "/run/n"
      0x00, //                                NUL terminator (counted in the length)
      0x00, //                                rest of sun_path[108]
    ]);
    expect(address.length).toBe(110);
  });

  it('puts an @abstract name after a leading NUL byte and counts exactly the name', () => {
    const { address, length } = notifySocketAddress('@ab');
    expect(length).toBe(2 + 1 + 2);
    expect([...address.subarray(0, length)]).toEqual([
      0x01, 0x00, //       sun_family: AF_UNIX
      0x00, //             abstract namespace marker
      0x61, 0x62, //       "ab" (no terminator)
    ]);
  });

  it('refuses relative paths, vsock addresses and names longer than sun_path', () => {
    expect(() => notifySocketAddress('run/notify')).toThrow(/NOTIFY_SOCKET "run\/notify" is not supported: must be an absolute path/);
    expect(() => notifySocketAddress('vsock:2:1234')).toThrow(RangeError);
    expect(() => notifySocketAddress(`/${'x'.repeat(106)}`)).not.toThrow();
    expect(() => notifySocketAddress(`/${'x'.repeat(107)}`)).toThrow(/must fit in 107 bytes/);
  });
});

describe('sdNotify', () => {
  it('sends exactly READY=1 to a socket bound at NOTIFY_SOCKET', async () => {
    const path = join(await temporaryDirectory(), 'notify');
    const systemd = listen(path);
    await expect(sdNotify('READY=1', { env: { NOTIFY_SOCKET: path } })).resolves.toBe(true);
    expect(systemd.receive()).toBe('READY=1');
    expect(systemd.receive()).toBeUndefined();
  });

  it('sends to a socket in the abstract namespace (@name)', async () => {
    const name = `@flannel-ts-test/${randomBytes(6).toString('hex')}`;
    const systemd = listen(name);
    await expect(sdNotify('READY=1', { env: { NOTIFY_SOCKET: name } })).resolves.toBe(true);
    expect(systemd.receive()).toBe('READY=1');
  });

  it('does nothing without NOTIFY_SOCKET (not run by systemd)', async () => {
    await expect(sdNotify('READY=1', { env: {} })).resolves.toBe(false);
    await expect(sdNotify('READY=1', { env: { NOTIFY_SOCKET: '' } })).resolves.toBe(false);
  });

  it('never throws: a missing socket or a bad value is a debug line', async () => {
    const lines: string[] = [];
    const debug = (...parts: unknown[]): void => {
      lines.push(parts.filter((part): part is string => typeof part === 'string').join(''));
    };
    const louder = (): void => {
      throw new Error('sd_notify failures are debug lines only');
    };
    const logger: Logger = { trace: louder, debug, info: louder, warn: louder, error: louder, child: () => logger };
    const missing = join(await temporaryDirectory(), 'nobody-listens');
    await expect(sdNotify('READY=1', { env: { NOTIFY_SOCKET: missing }, logger })).resolves.toBe(false);
    await expect(sdNotify('READY=1', { env: { NOTIFY_SOCKET: 'relative' }, logger })).resolves.toBe(false);
    expect(lines).toEqual([
      `sd_notify READY=1 not sent: sendto ${missing} failed: ENOENT (2)`,
      'sd_notify READY=1 not sent: NOTIFY_SOCKET "relative" is not supported: must be an absolute path or @abstract-name',
    ]);
  });
});

/** runDaemon on the memory subnet manager and RecordingNetlink, writing subnet.env into `directory`. */
function startDaemon(
  directory: string,
  logger: Logger,
  signal: AbortSignal,
  extra: Pick<Parameters<typeof runDaemon>[1], 'env' | 'notifySystemd'>,
): ReturnType<typeof runDaemon> {
  return runDaemon(agentOptions({ subnetFile: join(directory, 'subnet.env') }), {
    createSubnetManager: () => createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}' }),
    createNetlink: () =>
      createRecordingNetlink({
        links: [{ name: 'eth0', mtu: 1500, addresses: ['192.168.1.10/24'] }],
        routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 }],
      }),
    backends: FLANNELD_BACKENDS,
    createTrafficManager: () => ({
      mode: 'iptables',
      init: async () => {},
      cleanUp: async () => {},
      cleanUpOtherMode: async () => {},
      setupAndEnsureMasqRules: async () => {},
      setupAndEnsureForwardRules: async () => {},
      resyncNow: async () => 0,
    }),
    pathExists: async () => true,
    sleep: async () => {},
    logger,
    signal,
    ...extra,
  });
}

describe('runDaemon and sd_notify', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('notifies READY=1 once, after subnet.env is written and the backend runs', async () => {
    const directory = await temporaryDirectory();
    const path = join(directory, 'notify');
    const systemd = listen(path);
    const messages: string[] = [];
    const info = (first: unknown, second?: unknown): void => {
      messages.push(typeof first === 'string' ? first : String(second));
    };
    const logger: Logger = { trace: () => {}, debug: () => {}, info, warn: info, error: info, child: () => logger };
    const controller = new AbortController();
    let notified!: (state: string) => void;
    const notification = new Promise<string>((resolve) => (notified = resolve));
    const running = startDaemon(directory, logger, controller.signal, {
      notifySystemd: async (state) => {
        messages.push(`notify ${state}`);
        const sent = await sdNotify(state, { env: { NOTIFY_SOCKET: path }, logger });
        notified(state);
        return sent;
      },
    });
    expect(await notification).toBe('READY=1');
    expect(systemd.receive()).toBe('READY=1');
    const at = (text: string): number => messages.findIndex((message) => message.startsWith(text));
    expect(at('Wrote subnet file to')).toBeGreaterThanOrEqual(0);
    expect(at('flannel is ready')).toBeGreaterThan(at('Wrote subnet file to'));
    expect(at('Running backend.')).toBeGreaterThan(at('flannel is ready'));
    expect(at('notify READY=1')).toBeGreaterThan(at('Running backend.'));
    controller.abort();
    expect(await running).toBe(0);
    expect(messages.filter((message) => message.startsWith('notify'))).toEqual(['notify READY=1']);
    expect(systemd.receive()).toBeUndefined();
  });

  it('reads NOTIFY_SOCKET from the injected env, not from process.env', async () => {
    const directory = await temporaryDirectory();
    const injected = listen(join(directory, 'injected'));
    const processWide = listen(join(directory, 'process-wide'));
    vi.stubEnv('NOTIFY_SOCKET', join(directory, 'process-wide'));
    const controller = new AbortController();
    // The default notifier runs after "Running backend." and before runDaemon resolves: stopping the
    // daemon at that line still lets it notify, so once it has resolved the datagram is in a queue.
    const info = (first: unknown): void => {
      if (first === 'Running backend.') controller.abort();
    };
    const logger: Logger = { trace: () => {}, debug: () => {}, info, warn: () => {}, error: () => {}, child: () => logger };
    const status = await startDaemon(directory, logger, controller.signal, { env: { NOTIFY_SOCKET: join(directory, 'injected') } });
    expect(status).toBe(0);
    expect(injected.receive()).toBe('READY=1');
    expect(processWide.receive()).toBeUndefined();
  });
});
