// The C forwarder of flannel's proxy design (c-forwarder.c), for interop tests and benchmarks: built with
// gcc into a temp dir, run inside a testlab host with the kernel side set up as flannel's udp backend does
// (address `<subnet>.0/32`, MTU, up, one route for the Network), routes fed over its stdin.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { LabHost, LabProcess } from '@flannel-ts/testlab';

const SOURCE = fileURLToPath(new URL('./c-forwarder.c', import.meta.url));

/** Compiles the forwarder into `directory` (`gcc -O2`) and returns the binary's path. */
export async function buildCForwarder(directory: string): Promise<string> {
  const binary = join(directory, 'c-forwarder');
  await promisify(execFile)('gcc', ['-O2', '-Wall', '-o', binary, SOURCE]);
  return binary;
}

/** A C forwarder running in a host. */
export interface CForwarder {
  readonly process: LabProcess;
  /** `set <cidr> <next hop>`: waits for its "ok". */
  setRoute(cidr: string, nextHop: string): Promise<void>;
  deleteRoute(cidr: string): void;
  /** The counters it prints on `stats`. */
  stats(): Promise<Record<string, number>>;
  /** `stop` on stdin, then waits for exit 0. */
  stop(): Promise<void>;
}

/** Options of {@link startCForwarder}. */
export interface CForwarderOptions {
  readonly binary: string;
  /** This host's subnet, `10.7.99.0/24`; its network address goes on the TUN as a /32. */
  readonly subnet: string;
  /** The flannel Network, routed through the TUN. */
  readonly network: string;
  readonly mtu: number;
  readonly port?: number;
  readonly device?: string;
  /** SO_RCVBUF/SO_SNDBUF (forced); default the kernel's, as flannel. */
  readonly socketBufferBytes?: number;
}

/** Starts the forwarder in `host` bound to the host's underlay address and configures its TUN. */
export async function startCForwarder(host: LabHost, options: CForwarderOptions): Promise<CForwarder> {
  const device = options.device ?? 'flannel0';
  const tunAddress = options.subnet.split('/')[0]!;
  const child = host.spawn(options.binary, [device, tunAddress, String(options.mtu), host.address, String(options.port ?? 8285), ...(options.socketBufferBytes ? [String(options.socketBufferBytes)] : [])], {
    stdin: 'pipe',
  });
  await child.waitForOutput(/ready /);
  await host.exec('ip', ['addr', 'add', `${tunAddress}/32`, 'dev', device], { check: true });
  await host.exec('ip', ['link', 'set', device, 'mtu', String(options.mtu), 'up'], { check: true });
  await host.exec('ip', ['route', 'add', options.network, 'dev', device], { check: true });
  const write = (line: string): void => void child.child.stdin!.write(`${line}\n`);
  let acknowledged = 0;
  let statsSeen = 0;
  return {
    process: child,
    async setRoute(cidr, nextHop) {
      write(`set ${cidr} ${nextHop}`);
      acknowledged += 1;
      const want = acknowledged;
      await waitUntil(() => (child.stdout.match(/^ok$/gm)?.length ?? 0) >= want);
    },
    deleteRoute: (cidr) => write(`del ${cidr}`),
    async stats() {
      write('stats');
      statsSeen += 1;
      const want = statsSeen;
      await waitUntil(() => (child.stdout.match(/^stats /gm)?.length ?? 0) >= want);
      const line = child.stdout.match(/^stats .*$/gm)![want - 1]!;
      return Object.fromEntries(line.slice(6).split(' ').map((pair) => { const [key, value] = pair.split('='); return [key!, Number(value)]; }));
    },
    async stop() {
      write('stop');
      child.child.stdin!.end();
      const exit = await child.waitForExit();
      if (exit.code !== 0) throw new Error(`c-forwarder exited ${JSON.stringify(exit)}: ${child.stderr}`);
    },
  };
}

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('c-forwarder did not answer');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
