import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boundRegexBacktracking, REGEX_FALLBACK_FLAG } from './regex-backtracking.js';

describe('boundRegexBacktracking', () => {
  it('sets V8\'s fallback to the linear-time engine on excessive backtracking', () => {
    const flags: string[] = [];
    boundRegexBacktracking((flag) => flags.push(flag));
    expect(flags).toEqual([REGEX_FALLBACK_FLAG]);
  });

  it('lets a pathological --iface-regex finish against a full IPv6 address (backtracking alone takes minutes)', () => {
    // In a child process: the flag is process-wide. Without it this match runs for ≈ 25 minutes and the child
    // is killed at the timeout, failing the test.
    const script = `require('node:v8').setFlagsFromString(${JSON.stringify(REGEX_FALLBACK_FLAG)});
      process.stdout.write(String(new RegExp('^([0-9a-f:]+)+x$').test('fd00:1234:5678:9abc:def0:1234:5678:9ab')));`;
    expect(execFileSync(process.execPath, ['-e', script], { timeout: 20_000, encoding: 'utf8' })).toBe('false');
  }, 30_000);
});
