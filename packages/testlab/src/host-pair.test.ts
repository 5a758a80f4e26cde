import { describe, expect, it } from 'vitest';
import { TestlabError } from './errors.js';
import { createHostPair } from './host-pair.js';

describe('createHostPair', () => {
  it('refuses a tag that would not fit a namespace name, naming the value and the rule', () => {
    let caught: unknown;
    try {
      createHostPair({ tag: 'Too-Long' });
    } catch (error) {
      caught = error;
    }
    expect(TestlabError.isInstance(caught) && caught.code).toBe('INVALID_OPTIONS');
    expect((caught as Error).message).toBe('tag "Too-Long" is invalid: must be at most 6 lowercase letters or digits');
  });
});
