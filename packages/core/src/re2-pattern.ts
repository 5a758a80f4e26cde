// What Go's regexp (RE2) refuses in a pattern that JavaScript's RegExp accepts, for flags flanneld compiles with
// regexp.Compile (--iface-regex): backreferences and lookaround, which need a backtracking engine.

/**
 * The RE2-unsupported feature `pattern` uses — as a rule text for an error message — or `undefined` when it uses
 * none: a backreference (`\1`, `\k<name>`), a lookahead (`(?=`, `(?!`) or a lookbehind (`(?<=`, `(?<!`). Go's
 * `regexp.Compile` refuses each (`invalid escape sequence: \1`, `invalid or unsupported Perl syntax: (?=`), so
 * flanneld refuses such a `--iface-regex`; refusing it here too keeps the two daemons agreeing, and keeps
 * patterns within what V8's linear-time engine can run. Escapes and character classes are skipped, so `[(?=]`
 * and `\(?=` are plain characters.
 *
 * @example
 * ```ts
 * re2UnsupportedFeature('^(eth|ens)[0-9]+$'); // undefined
 * re2UnsupportedFeature('(a)\\1');            // 'must not use a backreference (\\1): Go's RE2 …'
 * ```
 */
export function re2UnsupportedFeature(pattern: string): string | undefined {
  const rule = (feature: string): string => `must not use ${feature}: Go's RE2, which flanneld compiles --iface-regex with, has none`;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /^[1-9]$/.test(next)) return rule(`a backreference (\\${next})`);
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return rule('a named backreference (\\k<name>)');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true; // JavaScript's class ends at the first unescaped `]` (`[]` is an empty class).
    } else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind.startsWith('=') || kind.startsWith('!')) return rule(`a lookahead "${pattern.slice(i, i + 3)}"`);
      if (kind === '<=' || kind === '<!') return rule(`a lookbehind "${pattern.slice(i, i + 4)}"`);
    }
  }
  return undefined;
}
