import { describe, expect, it } from 'vitest';
import { passWaiters } from './pass-waiters.js';

describe('passWaiters', () => {
  it('resolves every waiter at the next report its check accepts, and only then', async () => {
    const passes = passWaiters<number>();
    const seen: string[] = [];
    const any = passes.next().then(() => seen.push('any'));
    const big = passes.next((report) => report > 5).then(() => seen.push('big'));
    passes.notify(1);
    await any;
    expect(seen).toEqual(['any']);
    passes.notify(9);
    await big;
    expect(seen).toEqual(['any', 'big']);
  });
});
