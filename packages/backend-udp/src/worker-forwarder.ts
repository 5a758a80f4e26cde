// Starts the forwarder on worker threads: one worker running flannel's single poll loop, or one worker
// per direction. Commands go through a MessagePort, followed by a write to the worker's eventfd so its
// poll returns; stopping is the same (never `worker.terminate()` on a thread blocked in `poll`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { FlannelError } from '@flannel-ts/core';
import type { ForwarderCommand, ForwarderReply, ForwarderRole, ForwarderWorkerData } from './forwarder-protocol.js';
import { allocNative, EFD_CLOEXEC, EFD_NONBLOCK, freeNative, udpLibc } from './libc.js';
import type { Forwarder, ForwarderStarter, ForwarderStats } from './udp-boundaries.js';

/** The URL of tsx's ESM register API (its `import` export; `require.resolve` would give the CommonJS one). */
function tsxEsmApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']!.import.default)).href;
}

/** A worker of this package's forwarder entry; from sources (tests, tsx) through tsx's loader. */
function startWorker(workerData: ForwarderWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './forwarder-worker.ts' : './forwarder-worker.js', import.meta.url);
  const options = { workerData, transferList: [workerData.port] as never[] };
  if (!fromSource) return new Worker(entry, options);
  // Node 20 does not hand module hooks to workers: register tsx inside the worker, then load the entry.
  const tsx = tsxEsmApi();
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly wakeFd: number;
  readonly role: ForwarderRole;
  readonly exit: Promise<void>;
}

/**
 * The kernel forwarder: worker threads owning the TUN and socket fds through koffi. Resolves once every
 * worker is polling.
 *
 * @example
 * ```ts
 * const forwarder = await startWorkerForwarder({ tunFd, socketFd, tunAddress, mtu: 1472, batchSize: 1, threads: 'one-thread' });
 * forwarder.setRoute({ network: 0x0a050200, prefixLength: 24, nextHop: 0xc0a84d0c, port: 8285 });
 * ```
 */
export const startWorkerForwarder: ForwarderStarter = async (options) => {
  const libc = udpLibc();
  const roles: ForwarderRole[] = options.threads === 'two-threads' ? ['tun-to-udp', 'udp-to-tun'] : ['both'];
  const counter = allocNative(8);
  counter.view.setUint32(0, 1, true);
  const pending = new Map<number, (reply: ForwarderReply) => void>();
  let nextId = 1;
  let stopped = false;
  const running: Running[] = [];

  const cleanup = (): void => {
    for (const each of running) {
      each.port.close();
      libc.close(each.wakeFd);
    }
    freeNative(counter);
  };

  try {
    for (const role of roles) {
      const wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
      if (wakeFd < 0) throw new FlannelError('BACKEND_FAILED', `cannot create the forwarder's eventfd: errno ${libc.errno()}`);
      const channel = new MessageChannel();
      const worker = startWorker({ ...options, role, wakeFd, port: channel.port2 });
      const exit = new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`udp forwarder (${role}) exited with code ${code}`))));
      });
      exit.catch(() => undefined);
      const ready = new Promise<void>((resolve, reject) => {
        channel.port1.on('message', (reply: ForwarderReply) => {
          if (reply.op === 'ready') resolve();
          else pending.get(reply.id)?.(reply);
        });
        exit.then(() => reject(new Error(`udp forwarder (${role}) exited before it was ready`)), reject);
      });
      running.push({ worker, port: channel.port1, wakeFd, role, exit });
      await ready;
    }
  } catch (error) {
    for (const each of running) {
      each.port.postMessage({ op: 'stop' } satisfies ForwarderCommand);
      libc.write(each.wakeFd, counter.address, 8);
    }
    await Promise.allSettled(running.map((each) => each.exit));
    cleanup();
    throw new FlannelError('BACKEND_FAILED', `cannot start the udp forwarder: ${(error as Error).message}`, { cause: error });
  }

  const send = (targets: readonly Running[], command: ForwarderCommand): void => {
    if (stopped) return;
    for (const each of targets) {
      each.port.postMessage(command);
      libc.write(each.wakeFd, counter.address, 8);
    }
  };
  const router = running.filter((each) => each.role !== 'udp-to-tun');
  const ask = (each: Running, op: 'sync' | 'stats'): Promise<ForwarderReply> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(new FlannelError('BACKEND_FAILED', 'the udp forwarder is stopped'));
      const id = nextId++;
      pending.set(id, (reply) => {
        pending.delete(id);
        resolve(reply);
      });
      each.exit.then(() => reject(new FlannelError('BACKEND_FAILED', 'the udp forwarder stopped')), reject);
      send([each], { op, id });
    });

  const exited = Promise.all(running.map((each) => each.exit)).then(() => undefined);
  exited.catch(() => undefined);
  let stopping: Promise<void> | undefined;
  const forwarder: Forwarder = {
    setRoute: (route) => send(router, { op: 'set-route', route }),
    deleteRoute: (network, prefixLength) => send(router, { op: 'delete-route', network, prefixLength }),
    sync: async () => {
      await Promise.all(router.map((each) => ask(each, 'sync')));
    },
    stats: async () => {
      const replies = await Promise.all(running.map((each) => ask(each, 'stats')));
      const total: Record<string, number> = {};
      for (const reply of replies) {
        if (reply.op !== 'stats') continue;
        for (const [key, value] of Object.entries(reply.stats)) total[key] = (total[key] ?? 0) + value;
      }
      return total as unknown as ForwarderStats;
    },
    stop: () => {
      stopping ??= (async () => {
        send(running, { op: 'stop' });
        stopped = true;
        await Promise.allSettled(running.map((each) => each.exit));
        cleanup();
      })();
      return stopping;
    },
    exited,
  };
  return forwarder;
};
