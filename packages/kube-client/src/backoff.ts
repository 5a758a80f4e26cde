/** client-go reflector's backoff (`wait.NewExponentialBackoffManager(800ms, 30s, 2m, 2.0, 1.0)`). */
export interface BackoffPolicy {
  /** First delay in ms (800). */
  readonly initialMs: number;
  /** Cap of the un-jittered delay in ms (30 000). */
  readonly maxMs: number;
  /** Jitter factor: the delay grows by up to this fraction at random (1.0). */
  readonly jitter: number;
}

/** The reflector's defaults. */
export const REFLECTOR_BACKOFF: BackoffPolicy = { initialMs: 800, maxMs: 30_000, jitter: 1 };

/**
 * The delay before retry number `attempt` (1-based): `min(initial·2^(attempt-1), max)` plus up to `jitter`
 * of itself, drawn from `random` (`[0, 1)`).
 *
 * @example
 * ```ts
 * backoffDelay(REFLECTOR_BACKOFF, 1, () => 0) // 800
 * backoffDelay(REFLECTOR_BACKOFF, 10, () => 0.5) // 45000
 * ```
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const base = Math.min(policy.initialMs * 2 ** Math.max(0, attempt - 1), policy.maxMs);
  return Math.round(base + base * policy.jitter * random());
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
