// A coalescing wake-up shared by the backends' reconcile loops (vxlan, host-gw): lease events, timer
// ticks and link events all `notify()`, one loop `wait()`s and runs a single pass for any number of them.

/**
 * A coalescing wake-up: any number of `notify()` calls while the loop is busy make the next `wait()`
 * return at once, exactly once. Lets lease events, timer ticks and link events share one reconcile loop.
 */
export interface Wakeup {
  /** Marks work pending and wakes a waiting `wait()`. Never blocks. */
  notify(): void;
  /**
   * Resolves once notified since the last `wait()` returned (at once if already), or when `signal` aborts.
   * Resolves `true` when it took a notification (also one that raced the abort), `false` when it took none, so a
   * waiter that stops on abort can hand a taken notification back with `notify()`.
   */
  wait(signal: AbortSignal): Promise<boolean>;
}

/**
 * Creates a {@link Wakeup}.
 *
 * @example
 * ```ts
 * const wakeup = createWakeup();
 * watcher.on('change', () => wakeup.notify());
 * while (!signal.aborted) {
 *   await wakeup.wait(signal);
 *   if (!signal.aborted) await reconcile(); // one pass however many notifications came in
 * }
 * ```
 */
export function createWakeup(): Wakeup {
  let pending = false;
  let wake: (() => void) | undefined;
  return {
    notify() {
      pending = true;
      wake?.();
    },
    async wait(signal) {
      if (!pending && !signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            wake = undefined;
            signal.removeEventListener('abort', done);
            resolve();
          };
          wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
      }
      const notified = pending;
      pending = false;
      return notified;
    },
  };
}
