import { silentLogger } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { OnceLog } from './once-log.js';

describe('OnceLog', () => {
  it('logs a key once, and again after a full pass that did not see it', () => {
    const lines: string[] = [];
    const logger = { ...silentLogger, warn: (_fields: unknown, message?: string) => void lines.push(message ?? '') } as Logger;
    const once = new OnceLog(logger);
    once.beginFullPass();
    once.log('a', 'warn', {}, 'a is bad');
    once.log('a', 'warn', {}, 'a is bad');
    once.endFullPass();
    once.beginFullPass();
    once.log('a', 'warn', {}, 'a is bad');
    once.endFullPass();
    expect(lines).toEqual(['a is bad']);
    once.beginFullPass();
    once.endFullPass(); // 'a' was fixed: forgotten
    once.log('a', 'warn', {}, 'a is bad');
    expect(lines).toEqual(['a is bad', 'a is bad']);
  });
});
