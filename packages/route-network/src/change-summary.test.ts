import { silentLogger } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { ChangeSummary } from './change-summary.js';

describe('ChangeSummary', () => {
  it('logs a full pass at once and incremental changes at most once per interval, as totals', () => {
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (_fields: unknown, message: string) => void lines.push(message) } as unknown as Logger;
    let now = 0;
    const summary = new ChangeSummary(logger, { what: 'peer(s) programmed', intervalMs: 60_000, now: () => now });
    summary.add(1800, 0, 'full');
    for (let i = 0; i < 100; i += 1) {
      now += 500;
      summary.add(1, i % 2, 'incremental');
    }
    summary.add(0, 0, 'incremental');
    now += 20_000;
    summary.add(1, 0, 'incremental');
    expect(lines).toEqual(['1800 peer(s) programmed, 0 removed', '101 peer(s) programmed, 50 removed (over 101 passes)']);
  });
});
