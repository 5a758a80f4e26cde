/** A tick source a test advances by hand: see {@link manualTicks}. */
export interface ManualTicks {
  /** Queues one tick: the source yields once more (ticks queued while the consumer is busy are each yielded). */
  tick(): void;
  /** Makes the source throw `error` at its next step, as a failing event stream would. */
  fail(error: Error): void;
  /** The async iterable to pass as a `ticks` (or trigger) option; ends when `signal` aborts. One consumer at a time. */
  source(signal: AbortSignal): AsyncIterable<void>;
}

/**
 * A hand-pushed stand-in for `intervalTicks` (or any `(signal) => AsyncIterable<void>` boundary such as a full-pass
 * trigger): no timers, so a test decides exactly when a periodic check happens.
 *
 * @example
 * ```ts
 * const ticks = manualTicks();
 * const backend = createVxlanBackend({ netlink, ticks: (signal) => ticks.source(signal) });
 * // … after registerNetwork and run:
 * ticks.tick(); // one periodic check
 * ```
 */
export function manualTicks(): ManualTicks {
  let pending = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  return {
    tick(): void {
      pending += 1;
      wake?.();
    },
    fail(error: Error): void {
      failure = error;
      wake?.();
    },
    async *source(signal: AbortSignal): AsyncIterable<void> {
      while (!signal.aborted) {
        if (failure !== undefined) throw failure;
        if (pending > 0) {
          pending -= 1;
          yield;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    },
  };
}
