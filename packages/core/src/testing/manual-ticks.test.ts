import { describe, expect, it } from 'vitest';
import { manualTicks } from './manual-ticks.js';

describe('manualTicks', () => {
  it('yields once per tick, ticks queued before the consumer asks included, and ends when the signal aborts', async () => {
    const ticks = manualTicks();
    const controller = new AbortController();
    const iterator = ticks.source(controller.signal)[Symbol.asyncIterator]();
    ticks.tick();
    ticks.tick();
    expect(await iterator.next()).toEqual({ done: false, value: undefined });
    expect(await iterator.next()).toEqual({ done: false, value: undefined });
    const third = iterator.next();
    ticks.tick();
    expect(await third).toEqual({ done: false, value: undefined });
    const last = iterator.next();
    controller.abort();
    expect(await last).toEqual({ done: true, value: undefined });
  });

  it('throws the error given to fail at its next step', async () => {
    const ticks = manualTicks();
    const iterator = ticks.source(new AbortController().signal)[Symbol.asyncIterator]();
    const step = iterator.next();
    ticks.fail(new Error('no link events'));
    await expect(step).rejects.toThrow('no link events');
  });
});
