// The one call an embedder needs: flanneld's run loop with the real boundaries (or injected ones), a typed
// emitter to watch it, and an AbortSignal to stop it. The `flannel-ts` CLI runs the daemon through this.
import { silentLogger } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import { EventEmitter } from 'eventemitter3';
import type { AgentEvents } from './agent-events.js';
import { agentOptions } from './agent-options.js';
import type { AgentOptions } from './agent-options.js';
import type { DaemonDependencies } from './daemon-dependencies.js';
import { createFlanneldDependencies } from './flanneld-dependencies.js';
import { runDaemon } from './run-daemon.js';
import type { DaemonExitStatus } from './run-daemon.js';

/** How {@link startAgent} runs: the stop signal, and optionally the logger and boundaries. */
export interface StartAgentOptions {
  /** Aborting stops the agent cleanly; `done` then resolves 0. The data path, rules and lease stay in place. */
  readonly signal: AbortSignal;
  /** Where the agent logs; default: nothing (watch the events instead, or pass `createLogger()`). */
  readonly logger?: Logger;
  /** The boundaries; default {@link createFlanneldDependencies} (etcd, rtnetlink, vxlan/host-gw/alloc, iptables/nftables). */
  readonly dependencies?: DaemonDependencies;
  /** Where `NOTIFY_SOCKET` (systemd readiness) and, with `kubeSubnetMgr`, `NODE_NAME`/`POD_NAME`/`POD_NAMESPACE` are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A running agent: an emitter of {@link AgentEvents} and the promise of its exit status. */
export class Agent extends EventEmitter<AgentEvents> {
  /** Resolves when the agent stops: 0 after the signal aborted, 1 after a fatal error (also emitted as `error`). Never rejects. */
  readonly done: Promise<DaemonExitStatus>;

  readonly #logger: Logger;

  /** Use {@link startAgent}. */
  constructor(run: (agent: Agent) => Promise<DaemonExitStatus>, logger: Logger = silentLogger) {
    super();
    this.#logger = logger;
    // Started on a later microtask, so listeners added right after `startAgent` returns see every event.
    this.done = Promise.resolve().then(() => run(this));
  }

  /**
   * Calls the listeners of `event`. A listener that throws is logged and does not reach the agent: an
   * observer cannot break the lease watch or the run loop it observes. As with any emitter, the listeners
   * after it miss that one event.
   */
  override emit<T extends EventEmitter.EventNames<AgentEvents>>(event: T, ...args: EventEmitter.EventArgs<AgentEvents, T>): boolean {
    try {
      return super.emit(event, ...args);
    } catch (error) {
      this.#logger.warn({ err: error, event }, `a listener of the agent's ${String(event)} event threw: ${error instanceof Error ? error.message : String(error)}`);
      return true;
    }
  }
}

/**
 * Starts flanneld in this process: `options` over flanneld's defaults ({@link agentOptions}), the real
 * boundaries unless `dependencies` are given. Listen on the returned {@link Agent}; abort `signal` to stop.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const agent = startAgent({ etcdEndpoints: ['http://10.0.0.1:2379'], iface: ['eth1'] }, { signal: controller.signal });
 * agent.on('ready', (state) => console.log(`subnet ${state.subnet} on ${state.externalInterface}`));
 * agent.on('peer-added', (lease) => console.log(`peer ${lease.subnet}`));
 * process.once('SIGTERM', () => controller.abort());
 * process.exitCode = await agent.done;
 * ```
 */
export function startAgent(options: Partial<AgentOptions>, settings: StartAgentOptions): Agent {
  const resolved = agentOptions(options);
  const logger = settings.logger ?? silentLogger;
  return new Agent(
    (agent) =>
      runDaemon(resolved, {
        ...(settings.dependencies ?? createFlanneldDependencies(settings.env === undefined ? {} : { env: settings.env })),
        logger,
        signal: settings.signal,
        events: agent,
        ...(settings.env === undefined ? {} : { env: settings.env }),
      }),
    logger,
  );
}
