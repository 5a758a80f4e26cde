// The wireguard-go driver: `wireguard-go -f <name>` makes a TUN device in this network namespace and
// listens on /var/run/wireguard/<name>.sock, where `set=1`/`get=1` UAPI requests configure it. That
// directory belongs to the mount namespace, so two flannel-ts on one machine (testlab hosts, each with its
// own network namespace and its own "flannel-wg") collide there; with `mountNamespace: 'private'` each
// wireguard-go runs in a mount namespace of its own with a private tmpfs on /var/run/wireguard, reached
// through /proc/<pid>/root. Each process is tracked by its own pid. The link shows as kind `tun`, not
// `wireguard`; deleting it makes wireguard-go exit.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { FlannelError, silentLogger } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import type { Netlink } from '@flannel-ts/netlink';
import { decodeUapiErrno, decodeUapiGet, encodeUapiSet, UAPI_GET } from './uapi-codec.js';
import { uapiRequest } from './uapi-client.js';
import type { UapiTransport } from './uapi-client.js';
import type { WireguardDevice, WireguardDriver } from './wireguard-device.js';

/** The rtnetlink operations the wireguard-go driver needs. */
export type WireguardGoNetlink = Pick<Netlink, 'findLink' | 'deleteLink' | 'setLink'>;

/** Options of {@link createWireguardGoDriver}. */
export interface WireguardGoDriverOptions {
  readonly netlink: WireguardGoNetlink;
  readonly logger?: Logger;
  /** The program, default `wireguard-go` (looked up in PATH). */
  readonly program?: string;
  /** `shared` (default): the machine's /var/run/wireguard; `private`: one mount namespace per process. */
  readonly mountNamespace?: 'shared' | 'private';
  /** Run the program under this prefix (tests: `['ip', 'netns', 'exec', 'h1']`); it must exec, keeping the pid. */
  readonly commandPrefix?: readonly string[];
  /** How long the UAPI socket may take to appear, default 10 000 ms. */
  readonly startTimeoutMs?: number;
  /** UAPI transport, default {@link uapiRequest}. */
  readonly transport?: UapiTransport;
}

const RUN_DIRECTORY = '/var/run/wireguard';
// Our own fixed script: the device name and program arrive as positional parameters, never spliced in.
const PRIVATE_RUN = `mkdir -p ${RUN_DIRECTORY} && mount -t tmpfs -o mode=0700 tmpfs ${RUN_DIRECTORY} && exec "$0" -f "$1"`;

function resolvedRunDirectory(): string {
  try {
    return `${realpathSync('/var/run')}/wireguard`;
  } catch {
    return RUN_DIRECTORY;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates the wireguard-go driver.
 *
 * @example
 * ```ts
 * const driver = createWireguardGoDriver({ netlink });
 * const device = await driver.createDevice('flannel-wg', 1420);
 * await device.configure({ privateKey, listenPort: 51820, replacePeers: true });
 * ```
 */
export function createWireguardGoDriver(options: WireguardGoDriverOptions): WireguardDriver {
  const logger = options.logger ?? silentLogger;
  const program = options.program ?? 'wireguard-go';
  const transport = options.transport ?? uapiRequest;
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const isPrivate = options.mountNamespace === 'private';
  return {
    kind: 'wireguard-go',
    async createDevice(name, mtu, signal) {
      const existing = await options.netlink.findLink(name);
      if (existing !== undefined) {
        logger.warn({ device: name, kind: existing.kind }, `"${name}" already exists; recreating device`);
        await options.netlink.deleteLink(name);
      }
      const argv = isPrivate ? ['unshare', '-m', '--propagation', 'private', 'sh', '-c', PRIVATE_RUN, program, name] : [program, '-f', name];
      const full = [...(options.commandPrefix ?? []), ...argv];
      let child: ChildProcess;
      try {
        child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WG_PROCESS_FOREGROUND: '1' } });
      } catch (error) {
        throw new FlannelError('BACKEND_UNSUPPORTED', `wireguard-go could not be started: ${(error as Error).message}`, { cause: error });
      }
      let output = '';
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-2_000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      let exit: { code: number | null; signal: string | null; error?: Error } | undefined;
      const exited = new Promise<void>((resolve) => {
        child.on('error', (error) => {
          exit ??= { code: null, signal: null, error };
          resolve();
        });
        child.on('exit', (code, exitSignal) => {
          exit ??= { code, signal: exitSignal };
          resolve();
        });
      });
      const pid = child.pid;
      // Through /proc/<pid>/root an absolute symlink (Debian's /var/run → /run) would resolve against our
      // root, not the process's: resolve it here first.
      const socketPath = isPrivate ? `/proc/${pid}/root${resolvedRunDirectory()}/${name}.sock` : `${RUN_DIRECTORY}/${name}.sock`;
      const stop = async (): Promise<void> => {
        if (exit !== undefined) return;
        await Promise.race([exited, delay(3_000)]);
        if (exit === undefined && pid !== undefined) {
          child.kill('SIGTERM');
          await Promise.race([exited, delay(2_000)]);
          if (exit === undefined) child.kill('SIGKILL');
        }
      };
      const request = async (text: string): Promise<string> => {
        const reply = await transport(socketPath, text);
        const errno = decodeUapiErrno(reply);
        if (errno !== 0) throw new FlannelError('BACKEND_FAILED', `wireguard-go ${name} refused the configuration (errno ${errno})`);
        return reply;
      };
      // Wait for the UAPI socket (or the process's end).
      const deadline = Date.now() + startTimeoutMs;
      for (;;) {
        if (exit !== undefined) {
          const error = exit.error as NodeJS.ErrnoException | undefined;
          if (error?.code === 'ENOENT') throw new FlannelError('BACKEND_UNSUPPORTED', `${full[0]} was not found: install wireguard-go (Debian package wireguard-go)`);
          throw new FlannelError('BACKEND_FAILED', `wireguard-go for ${name} exited (${exit.code ?? exit.signal ?? error?.message}) before its UAPI socket was ready: ${output.trim()}`);
        }
        if (signal?.aborted) {
          await options.netlink.deleteLink(name).catch(() => undefined);
          await stop();
          throw new FlannelError('ABORTED', `creating ${name} was cancelled`);
        }
        try {
          await request(UAPI_GET);
          break;
        } catch {
          if (Date.now() > deadline) {
            await options.netlink.deleteLink(name).catch(() => undefined);
            await stop();
            throw new FlannelError('BACKEND_FAILED', `wireguard-go for ${name} (pid ${pid}) did not open ${socketPath} within ${startTimeoutMs} ms: ${output.trim()}`);
          }
          await Promise.race([exited, delay(50)]);
        }
      }
      const link = await options.netlink.findLink(name);
      if (link === undefined) {
        await stop();
        throw new FlannelError('BACKEND_FAILED', `wireguard-go for ${name} (pid ${pid}) runs but the link ${name} is missing`);
      }
      await options.netlink.setLink(name, { mtu });
      logger.info({ device: name, pid, socket: socketPath }, `wireguard-go started for ${name}`);
      let removed = false;
      const device: WireguardDevice = {
        name,
        index: link.index,
        async configure(config) {
          await request(encodeUapiSet(config));
        },
        async read() {
          return decodeUapiGet(await request(UAPI_GET));
        },
        async remove() {
          if (removed) return;
          removed = true;
          await options.netlink.deleteLink(name).catch((error: unknown) => {
            logger.debug({ device: name, err: error }, 'device already gone');
          });
          await stop();
        },
      };
      return device;
    },
  };
}
