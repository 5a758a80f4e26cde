import { describe, expect, it } from 'vitest';
import { intervalTicks } from './interval-ticks.js';

describe('intervalTicks', () => {
  it('ticks repeatedly and ends quietly when its signal aborts', async () => {
    const controller = new AbortController();
    let ticks = 0;
    for await (const _ of intervalTicks(1, controller.signal)) {
      ticks += 1;
      if (ticks === 3) controller.abort();
    }
    expect(ticks).toBe(3);
  });

  it('yields nothing for an already-aborted signal', async () => {
    let ticks = 0;
    for await (const _ of intervalTicks(1, AbortSignal.abort())) ticks += 1;
    expect(ticks).toBe(0);
  });
});
