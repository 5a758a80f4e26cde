import { describe, expect, it } from 'vitest';
import { RootTestResources } from './root-test-resources.js';

describe('RootTestResources', () => {
  it('runs cleanups newest first, past one that fails, and only once', async () => {
    const resources = new RootTestResources();
    const ran: string[] = [];
    resources.defer(() => ran.push('first'));
    resources.defer(() => {
      ran.push('failing');
      throw new Error('cleanup failed');
    });
    resources.defer(async () => {
      ran.push('last');
    });
    await resources.cleanUp();
    await resources.cleanUp();
    expect(ran).toEqual(['last', 'failing', 'first']);
  });

  it('aborts a background run and waits for it to end', async () => {
    const resources = new RootTestResources();
    const steps: string[] = [];
    resources.runInBackground(
      (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            steps.push('aborted');
            setImmediate(() => {
              steps.push('ended');
              resolve();
            });
          });
        }),
    );
    await resources.cleanUp();
    expect(steps).toEqual(['aborted', 'ended']);
  });
});
