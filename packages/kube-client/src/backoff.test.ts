import { describe, expect, it } from 'vitest';
import { backoffDelay, REFLECTOR_BACKOFF } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from 800 ms up to the 30 s cap, as client-go reflector does', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => backoffDelay(REFLECTOR_BACKOFF, n, () => 0))).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  it('adds up to the jitter factor of the delay', () => {
    expect(backoffDelay(REFLECTOR_BACKOFF, 1, () => 0.5)).toBe(1200);
    expect(backoffDelay(REFLECTOR_BACKOFF, 10, () => 0.999)).toBeLessThan(60_000);
  });
});
