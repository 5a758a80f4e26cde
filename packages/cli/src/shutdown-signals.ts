// flanneld's shutdown handler: SIGINT or SIGTERM cancels the daemon's context once. Later signals are
// caught and ignored while the daemon shuts down (Go's signal.Notify keeps catching them), so a second
// SIGTERM cannot kill the process half-way through its shutdown with Node's default action.

/** The part of `process` the signal handlers need. */
export interface SignalTarget {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
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
 * ignored, until `dispose()`.
 *
 * @example
 * ```ts
 * const shutdown = listenForShutdownSignals(process);
 * try { return await runDaemon(options, { ...dependencies, signal: shutdown.signal }); } finally { shutdown.dispose(); }
 * ```
 */
export function listenForShutdownSignals(target: SignalTarget): ShutdownSignals {
  const controller = new AbortController();
  const handlers = NAMES.map((name) => {
    const handler = (): void => controller.abort();
    target.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, handler] of handlers) target.off(name, handler);
    },
  };
}
