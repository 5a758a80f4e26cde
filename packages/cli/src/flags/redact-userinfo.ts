// Usage errors quote the value that broke a rule, and a malformed endpoint URL may carry a password in a
// shape no URL parser recognises (`http://u:pw/x@host`, `http://u:pw x@h`, `http://u:pw@x@[::1`,
// `http://u:pw,x@h` split at the comma). redactUrlCredentials takes only well-formed userinfo; this takes
// everything that could be userinfo, at the price of sometimes hiding more than needed.

const REDACTED = '[REDACTED]';
/** Where a token of a usage message starts: after a blank, a quote, `=` or `(`. */
const TOKEN_BOUNDARY = /[\s"'=(]/u;

/**
 * Hides everything before each `@` that could be userinfo: back to the nearest `//` or `:/` (a URL's
 * authority), else to the start of the token. Then hides, anywhere in `text`, every password-like part of
 * `value` (the raw flag value the message is about: what follows a `:` before an `@`, whole and split at
 * `,`, `/`, `\`, quotes and blanks), so a fragment of the value that the message quotes on its own is
 * hidden too.
 *
 * @example
 * ```ts
 * redactPossibleUserinfo('--etcd-endpoints "http://u:pw/x@h" is invalid'); // '--etcd-endpoints "http://[REDACTED]@h" is invalid'
 * ```
 */
export function redactPossibleUserinfo(text: string, value?: string): string {
  let result = text;
  for (const secret of passwordParts(value)) result = result.split(secret).join(REDACTED);
  let at = result.lastIndexOf('@');
  while (at > 0) {
    const start = userinfoStart(result, at);
    if (start < at) result = `${result.slice(0, start)}${REDACTED}${result.slice(at)}`;
    at = start > 0 ? result.lastIndexOf('@', start - 1) : -1;
  }
  return result;
}

function userinfoStart(text: string, at: number): number {
  const slashes = Math.max(text.lastIndexOf('//', at), text.lastIndexOf(':/', at));
  if (slashes >= 0) {
    let start = slashes + 2;
    while (text[start] === '/') start += 1;
    return Math.min(start, at);
  }
  let start = at;
  while (start > 0 && !TOKEN_BOUNDARY.test(text[start - 1]!)) start -= 1;
  // `u:pw@h` and `http:u:pw@h`: keep a leading word, hide from its first colon on.
  const colon = text.indexOf(':', start);
  return colon >= 0 && colon < at ? colon + 1 : start;
}

/** The password-like parts of a raw value, longest first (a part of 3 or more characters). */
function passwordParts(value: string | undefined): string[] {
  if (value === undefined || !value.includes('@')) return [];
  const parts = new Set<string>();
  const last = value.lastIndexOf('@');
  const colon = value.indexOf(':', value.indexOf('//') >= 0 && value.indexOf('//') < last ? value.indexOf('//') + 2 : 0);
  const candidate = colon >= 0 && colon < last ? value.slice(colon + 1, last) : value.slice(0, last);
  if (candidate.length > 0) parts.add(candidate);
  for (const piece of candidate.split(/[\s,/\\"'@:]+/u)) {
    // A scheme inside the candidate (`http` of `http://h:1,http://u:pw@h`: the candidate spans two entries) is
    // not a password part; hiding it everywhere would hide the rule's own `http://host:port` too.
    if (piece.length >= 3 && !(/^[a-z][a-z0-9+.-]*$/iu.test(piece) && candidate.includes(`${piece}://`))) parts.add(piece);
  }
  for (const piece of [...parts]) {
    const escaped = JSON.stringify(piece).slice(1, -1);
    if (escaped !== piece) parts.add(escaped);
  }
  return [...parts].sort((a, b) => b.length - a.length);
}
