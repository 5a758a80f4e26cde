import { describe, expect, it } from 'vitest';
import { createWakeup } from './wakeup.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createWakeup', () => {
  it('waits until notified', async () => {
    const wakeup = createWakeup();
    let woke = false;
    const waiting = wakeup.wait(new AbortController().signal).then(() => {
      woke = true;
    });
    await turn();
    expect(woke).toBe(false);
    wakeup.notify();
    await waiting;
    expect(woke).toBe(true);
  });

  it('coalesces notifications made while busy into exactly one immediate wake-up', async () => {
    const wakeup = createWakeup();
    const signal = new AbortController().signal;
    wakeup.notify();
    wakeup.notify();
    wakeup.notify();
    await wakeup.wait(signal);
    let woke = false;
    const second = wakeup.wait(signal).then(() => {
      woke = true;
    });
    await turn();
    expect(woke).toBe(false);
    wakeup.notify();
    await second;
  });

  it('returns when its signal aborts, or at once when it already has', async () => {
    const wakeup = createWakeup();
    const controller = new AbortController();
    const waiting = wakeup.wait(controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBe(false);
    await expect(wakeup.wait(AbortSignal.abort())).resolves.toBe(false);
  });

  it('tells whether it took a notification, even one made before an abort', async () => {
    const wakeup = createWakeup();
    wakeup.notify();
    await expect(wakeup.wait(AbortSignal.abort())).resolves.toBe(true);
    await expect(wakeup.wait(AbortSignal.abort())).resolves.toBe(false);
  });
});
