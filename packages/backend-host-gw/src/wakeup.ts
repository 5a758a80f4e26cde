// Same as @flannel-ts/backend-vxlan's copy; kept per package so the backends stay independent.
import { setInterval } from 'node:timers/promises';

/**
 * A coalescing wake-up: any number of `notify()` calls while the loop is busy make the next `wait()`
 * return at once, exactly once. Lets lease events, timer ticks and link events share one reconcile loop.
 */
export interface Wakeup {
  notify(): void;
  /** Resolves once notified (or when `signal` aborts). */
  wait(signal: AbortSignal): Promise<void>;
}

/** Creates a {@link Wakeup}. */
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
      pending = false;
    },
  };
}

/** Ticks every `intervalMs` until `signal` aborts (the default periodic-check source). */
export async function* intervalTicks(intervalMs: number, signal: AbortSignal): AsyncIterable<void> {
  try {
    for await (const _ of setInterval(intervalMs, undefined, { signal })) yield;
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
