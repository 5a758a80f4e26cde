import { setTimeout as delay } from 'node:timers/promises';
import { TestlabError } from './errors.js';

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  description?: string;
  /** Abort the wait early. */
  signal?: AbortSignal;
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned) or the time runs out. A predicate that
 * throws counts as "not yet"; the last error becomes the `cause` of the `TIMEOUT` {@link TestlabError}.
 *
 * Prefer awaiting an event where there is one; this is for state that can only be observed by polling
 * (a route appearing, an etcd member becoming healthy).
 *
 * @example
 * ```ts
 * await waitFor(async () => (await h1.ping(h2.address)).ok, { timeoutMs: 5_000, description: 'h1 reaches h2' });
 * ```
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let attempts = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    attempts += 1;
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() + intervalMs > deadline) break;
    await delay(intervalMs, undefined, { signal: options.signal });
  }
  const what = options.description ?? 'condition';
  const because = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
  throw new TestlabError('TIMEOUT', `timed out after ${timeoutMs} ms (${attempts} attempts) waiting for ${what}${because}`, {
    cause: lastError,
  });
}
