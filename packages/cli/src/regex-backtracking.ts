import { setFlagsFromString } from 'node:v8';

/** The V8 flag {@link boundRegexBacktracking} sets. */
export const REGEX_FALLBACK_FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks';

/**
 * Lets V8 finish a regular expression match that backtracks excessively on its linear-time engine instead of
 * backtracking on (V8 switches after `--regexp-backtracks-before-fallback`, 50,000 by default). `--iface-regex`
 * runs on JavaScript's backtracking engine where flanneld's Go RE2 runs in linear time, and its subjects are
 * not short enough to bound a pathological pattern: interface names have at most 15 characters (IFNAMSIZ), but
 * the pattern is also matched against IPv6 addresses of up to 39. Measured on Node 20 with
 * `^([0-9a-f:]+)+x$` against a prefix of `fd00:1234:5678:9abc:def0:1234:5678:9ab`: 1.2 ms at 16 characters,
 * 11 ms at 22, 45 ms at 24, doubling with each character (≈ 25 minutes at 39) — and ≈ 0.2 ms at any length
 * with this flag. (At 15 characters a name alone stays around a millisecond.) The linear engine runs only
 * patterns without backreferences and lookaround, which `--iface-regex` refuses as Go's RE2 does
 * (`re2UnsupportedFeature` in @flannel-ts/core). A process-wide V8 setting, so the bin makes it, as
 * `keepYoungGenerationSmall`; V8 reads the flag when a match runs, so even a pattern compiled earlier is
 * covered (checked on Node 20: the 39-character match above took ≈ 1 ms).
 *
 * @example
 * ```ts
 * boundRegexBacktracking(); // before the daemon compiles --iface-regex
 * ```
 */
export function boundRegexBacktracking(setFlags: (flags: string) => void = setFlagsFromString): void {
  setFlags(REGEX_FALLBACK_FLAG);
}
