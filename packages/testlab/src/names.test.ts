import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, newRunId, RUN_NAME_PATTERN, runIdOf } from './names.js';

describe('names', () => {
  it('makes run ids that mark every derived name and leave room under the 15-character limit', () => {
    const runId = newRunId();
    expect(runId).toMatch(/^ft[a-z0-9]{4}$/);
    const longestHost = `${runId}-abcdefgh`;
    expect(longestHost.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(RUN_NAME_PATTERN.test(longestHost)).toBe(true);
  });

  it('derives ids from the random source', () => {
    expect(newRunId(() => new Uint8Array([0, 1, 35, 36]))).toBe('ftab9a');
  });

  it('recognises only names of the lab', () => {
    expect(runIdOf('ft3k9a-h1')).toBe('ft3k9a');
    expect(runIdOf('eth0')).toBeUndefined();
    expect(runIdOf('ft3k9-h1')).toBeUndefined();
  });
});
