// flanneld's shutdown handler: SIGINT or SIGTERM cancels the daemon's context once. Later signals are
// caught and ignored while the daemon shuts down (Go's signal.Notify keeps catching them), so a second
// SIGTERM cannot kill the process half-way through its shutdown with Node's default action.
// SIGHUP is caught and ignored (reported through `onHangup`): Node's default action would kill the daemon
// silently with status 129, and flanneld has nothing to reload either (its config comes from etcd, re-read
// as it changes; flags need a restart).

/** The part of `process` the signal handlers need. */
export interface SignalTarget {
  on(event: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
}

/** Options of {@link listenForShutdownSignals}. */
export interface ShutdownSignalOptions {
  /** Called on each SIGHUP, which is otherwise ignored (to log it). */
  readonly onHangup?: () => void;
}

/** What {@link listenForShutdownSignals} returns. */
export interface ShutdownSignals {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Removes the handlers (once the daemon has returned). */
  dispose(): void;
}

const NAMES = ['SIGINT', 'SIGTERM'] as const;

/**
 * Installs SIGINT/SIGTERM handlers on `target` (the process): the first aborts `signal`, later ones are
 * ignored, until `dispose()`. SIGHUP is ignored and reported to `onHangup`.
 *
 * @example
 * ```ts
 * const shutdown = listenForShutdownSignals(process);
 * try { return await runDaemon(options, { ...dependencies, signal: shutdown.signal }); } finally { shutdown.dispose(); }
 * ```
 */
export function listenForShutdownSignals(target: SignalTarget, options: ShutdownSignalOptions = {}): ShutdownSignals {
  const controller = new AbortController();
  const handlers: Array<readonly ['SIGINT' | 'SIGTERM' | 'SIGHUP', () => void]> = NAMES.map((name) => {
    const handler = (): void => controller.abort();
    target.on(name, handler);
    return [name, handler] as const;
  });
  const hangup = (): void => options.onHangup?.();
  target.on('SIGHUP', hangup);
  handlers.push(['SIGHUP', hangup]);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) target.off(name, handler);
    },
  };
}
