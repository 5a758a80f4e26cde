// One info line per lease event is too chatty at the default level (2,000 lines in 6 minutes of churn).
// Changes of incremental passes are counted and summarised at most once per interval; each single
// change is still logged at debug. A full pass that changed something (cold start, a repair) is
// reported at once, with whatever was pending.
import type { Logger } from '@flannel-ts/core';

/** Default least time between two summary lines of incremental changes. */
export const CHANGE_SUMMARY_INTERVAL_MS = 60_000;

/** Options of {@link ChangeSummary}. */
export interface ChangeSummaryOptions {
  /** What is counted, e.g. `peer(s) programmed`; the summary reads "<n> <what>, <m> removed". */
  readonly what: string;
  /** Least time between two summaries; default {@link CHANGE_SUMMARY_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/**
 * Counts programmed and removed entries across passes and logs them as one info line at most once per
 * interval.
 *
 * @example
 * ```ts
 * const summary = new ChangeSummary(logger, { what: 'route(s) programmed' });
 * summary.add(3, 1, 'incremental'); // logged now if the last line is a minute old, else later
 * ```
 */
export class ChangeSummary {
  readonly #logger: Logger;
  readonly #options: ChangeSummaryOptions;
  #programmed = 0;
  #removed = 0;
  #passes = 0;
  #last = Number.NEGATIVE_INFINITY;

  constructor(logger: Logger, options: ChangeSummaryOptions) {
    this.#logger = logger;
    this.#options = options;
  }

  /** Adds a pass's changes; a `full` pass with changes, or an interval gone by, logs the total. */
  add(programmed: number, removed: number, mode: 'full' | 'incremental'): void {
    if (programmed + removed === 0) return;
    this.#programmed += programmed;
    this.#removed += removed;
    this.#passes += 1;
    const now = (this.#options.now ?? Date.now)();
    if (mode !== 'full' && now - this.#last < (this.#options.intervalMs ?? CHANGE_SUMMARY_INTERVAL_MS)) return;
    this.#last = now;
    this.#logger.info(
      { programmed: this.#programmed, removed: this.#removed, passes: this.#passes },
      `${this.#programmed} ${this.#options.what}, ${this.#removed} removed` + (this.#passes > 1 ? ` (over ${this.#passes} passes)` : ''),
    );
    this.#programmed = 0;
    this.#removed = 0;
    this.#passes = 0;
  }
}
