import { describe, expect, it } from 'vitest';
import { re2UnsupportedFeature } from './re2-pattern.js';

describe('re2UnsupportedFeature', () => {
  it.each([
    ['(eth)\\1', 'must not use a backreference (\\1)'],
    ['(?<n>eth)\\k<n>', 'must not use a named backreference (\\k<name>)'],
    ['eth(?=0)', 'must not use a lookahead "(?="'],
    ['eth(?!0)', 'must not use a lookahead "(?!"'],
    ['(?<=e)th0', 'must not use a lookbehind "(?<="'],
    ['(?<!x)eth0', 'must not use a lookbehind "(?<!"'],
  ])('refuses %s, which Go\'s regexp.Compile refuses', (pattern, rule) => {
    expect(re2UnsupportedFeature(pattern)).toContain(rule);
    expect(re2UnsupportedFeature(pattern)).toContain("Go's RE2");
  });

  it.each(['^(eth|ens)[0-9]+$', '10\\.0\\.0\\.[0-9]+', '[(?=]', '\\(?=x', '[\\1]', '(?<name>eth0)', '(?:eth)0', '\\\\1', '^eth\\-0$'])(
    'accepts %s (escapes and classes are plain characters)',
    (pattern) => {
      expect(re2UnsupportedFeature(pattern)).toBeUndefined();
    },
  );
});
