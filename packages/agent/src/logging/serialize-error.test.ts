import { describe, expect, it } from 'vitest';
import { isErrorLike, serializedErrorSource, serializeError } from './serialize-error.js';

class LeaseError extends Error {
  readonly code = 'LEASE_INVALID';
}

describe('serializeError', () => {
  it('writes type, message, stack and the enumerable properties', () => {
    const error = new LeaseError('PublicIP 1 is invalid');
    expect(serializeError(error)).toMatchObject({ type: 'LeaseError', message: 'PublicIP 1 is invalid', stack: error.stack, code: 'LEASE_INVALID' });
  });

  it('serializes the cause and nested errors alike, without touching the error', () => {
    const root = Object.assign(new Error('ECONNREFUSED'), { errno: -111 });
    const error = new Error('etcd failed', { cause: root });
    const serialized = serializeError(error);
    expect(serialized).toMatchObject({ message: 'etcd failed', cause: { type: 'Error', message: 'ECONNREFUSED', errno: -111 } });
    expect(Object.keys(error)).toEqual([]);
    expect(serializedErrorSource(serialized)).toBe(error);
  });

  it('keeps a cause that is not an error as it is', () => {
    expect(serializeError(new Error('x', { cause: 'timeout' })).cause).toBe('timeout');
  });

  it('serializes the errors of an AggregateError', () => {
    const serialized = serializeError(new AggregateError([new TypeError('a'), 'b'], 'both failed'));
    expect(serialized).toMatchObject({ type: 'AggregateError', aggregateErrors: [{ type: 'TypeError', message: 'a' }, 'b'] });
  });

  it('stops at an error that refers back to an ancestor', () => {
    const outer = new Error('outer');
    const inner = Object.assign(new Error('inner'), { parent: outer });
    Object.assign(outer, { inner, self: outer });
    (outer as { cause?: unknown }).cause = outer;
    const serialized = serializeError(outer);
    expect(serialized).toMatchObject({ cause: '[Circular]', inner: { message: 'inner' } });
    expect(serialized).not.toHaveProperty('self');
    expect(serialized.inner).not.toHaveProperty('parent');
  });

  it('takes the name when there is no constructor name', () => {
    const error = Object.assign(Object.create(null) as object, { name: 'Custom', message: 'm' });
    expect(serializeError(error as { message: string })).toMatchObject({ type: 'Custom', message: 'm' });
  });
});

describe('isErrorLike', () => {
  it.each([
    [new Error('x'), true],
    [{ message: 'x' }, true],
    [{ message: 1 }, false],
    ['x', false],
    [null, false],
  ])('%o → %s', (value, expected) => {
    expect(isErrorLike(value)).toBe(expected);
  });
});
