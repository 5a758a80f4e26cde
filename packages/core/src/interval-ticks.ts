// The default periodic-check source of the backends (flannel re-checks routes every 10 s).
import { setInterval } from 'node:timers/promises';

/**
 * Yields once every `intervalMs` until `signal` aborts, then ends quietly (no `AbortError`). Backends
 * take a `ticks` option of this shape so tests can push ticks by hand instead of waiting on a timer.
 *
 * @example
 * ```ts
 * for await (const _ of intervalTicks(10_000, signal)) wakeup.notify();
 * ```
 */
export async function* intervalTicks(intervalMs: number, signal: AbortSignal): AsyncIterable<void> {
  try {
    for await (const _ of setInterval(intervalMs, undefined, { signal })) yield;
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
