// Usage errors quote the value that broke a rule, and an etcd endpoint may carry a password
// (`http://user:pw@host`), also in shapes no URL parser takes (`http://u:pw/x@host`, `http://u:pw@x@[::1`,
// `http://u:pw,x@h`). The password is found by its position in the raw value and hidden there only, as Go's
// `net/url` `URL.Redacted` hides the password and keeps the user name. Replacing the password's text (or
// pieces of it) everywhere in a message would also hide a flag name or a word that happens to be equal
// (`--etcd-username` when another endpoint reads `user:pw@`).

/** What a hidden part of a value reads as. */
export const REDACTED = '[REDACTED]';

/** A half-open range `[start, end)` of character positions in a value. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** `scheme:/`, `scheme://` or `//` at the start of an endpoint: the userinfo starts after it. */
const AUTHORITY_PREFIX = /^(?:[a-z][a-z0-9+.-]*:)?\/+/iu;

/**
 * The ranges of `value` that hold a secret: for each `@`, the password of the userinfo before it (what
 * follows its first `:`), or the whole userinfo when it has no `:` (a bare token, `https://TOKEN@host`).
 * The userinfo ends at the last `@` of an endpoint (a password may hold an `@`) and starts after its
 * `scheme://`, else at the start of its comma-separated entry (flannel splits `--etcd-endpoints` at commas,
 * `main.go`). An entry that is a bare word (`x` in `http://u:pw,x@h`) may be the tail of a password holding
 * a comma, so the userinfo then runs back into the entries before it: ambiguous input hides more, never less.
 *
 * @example
 * ```ts
 * credentialSpans('http://a:1,admin:s3cret@h:1'); // [{ start: 17, end: 23 }] (`s3cret`)
 * ```
 */
export function credentialSpans(value: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let at = value.lastIndexOf('@');
  while (at >= 0) {
    const start = userinfoStart(value, at);
    const colon = value.indexOf(':', start);
    const secret = colon >= 0 && colon < at ? colon + 1 : start;
    if (secret < at) spans.unshift({ start: secret, end: at });
    at = start > 0 ? value.lastIndexOf('@', start - 1) : -1;
  }
  return spans;
}

function userinfoStart(value: string, at: number): number {
  let entry = entryStart(value, at);
  for (;;) {
    const piece = value.slice(entry, at);
    const prefix = AUTHORITY_PREFIX.exec(piece);
    if (prefix !== null) return entry + prefix[0].length;
    if (entry === 0 || piece.includes(':')) return entry;
    entry = entryStart(value, entry - 1);
  }
}

/** Where the comma-separated entry holding position `index` starts. */
function entryStart(value: string, index: number): number {
  return index > 0 ? value.lastIndexOf(',', index - 1) + 1 : 0;
}

/**
 * `value.slice(from, to)` with every part of {@link credentialSpans}`(value)` inside it replaced by
 * `[REDACTED]`. Spans are found on the whole value, so a quoted piece of it (one endpoint of a list) hides
 * exactly what the whole would.
 *
 * @example
 * ```ts
 * redactCredentials('http://u:pw@h:1'); // 'http://u:[REDACTED]@h:1'
 * redactCredentials('http://u:pw,x@h', 0, 11); // 'http://u:[REDACTED]' (the entry flannel would split off)
 * ```
 */
export function redactCredentials(value: string, from = 0, to = value.length): string {
  let result = '';
  let position = from;
  for (const span of credentialSpans(value)) {
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (start >= end) continue;
    result += `${value.slice(position, start)}${REDACTED}`;
    position = end;
  }
  return result + value.slice(position, to);
}
