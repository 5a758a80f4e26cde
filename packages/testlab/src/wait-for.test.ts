import { describe, expect, it } from 'vitest';
import { TestlabError } from './errors.js';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first truthy value of the predicate', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls >= 3 ? `done after ${calls}` : undefined), { intervalMs: 1 })).resolves.toBe('done after 3');
  });

  it('treats a throwing predicate as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls < 2) throw new Error('not ready');
        return 42;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(42);
  });

  it('times out with a TIMEOUT error that names what it waited for and keeps the last error', async () => {
    const failure = await waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the moon' },
    ).catch((error: unknown) => error);
    expect(TestlabError.isInstance(failure)).toBe(true);
    expect((failure as TestlabError).code).toBe('TIMEOUT');
    expect((failure as TestlabError).message).toMatch(/waiting for the moon; last error: still down/);
    expect(((failure as TestlabError).cause as Error).message).toBe('still down');
  });
});
