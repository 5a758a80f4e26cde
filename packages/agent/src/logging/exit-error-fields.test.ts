import { FlannelError } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { exitErrorFields } from './exit-error-fields.js';
import { createJsonLineLogger } from './json-line-logger.js';

function lineOf(error: unknown): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createJsonLineLogger({ level: 'info', write: (line) => lines.push(line), now: () => 0 });
  logger.error(exitErrorFields(error), 'exiting');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('exitErrorFields', () => {
  it('logs a coded error with its type, message and code but no stack, its cause alike', () => {
    const error = new FlannelError('FLAG_INVALID', 'etcd endpoint "x" is invalid', { cause: new RangeError('bad endpoint') });
    const line = lineOf(error);
    expect(JSON.stringify(line)).not.toContain('stack');
    expect(line['err']).toMatchObject({ type: 'FlannelError', message: 'etcd endpoint "x" is invalid', code: 'FLAG_INVALID', cause: { type: 'RangeError', message: 'bad endpoint' } });
    expect(error.stack).toContain('FlannelError');
  });

  it('keeps the stack of an unexpected error (no code, or INTERNAL)', () => {
    expect((lineOf(new TypeError('x is undefined'))['err'] as { stack?: string }).stack).toContain('TypeError: x is undefined');
    expect((lineOf(new FlannelError('INTERNAL', 'flag x missing'))['err'] as { stack?: string }).stack).toContain('flag x missing');
  });
});
