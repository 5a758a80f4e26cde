// Last line of defence for secrets in text that leaves the process (log lines, usage errors, crash
// reports): credentials embedded in a URL (`http://user:password@host`, which also shows up inside
// gRPC errors as `dns:user:password@host`) and the known secret values themselves.

const REDACTED = '[REDACTED]';

// Only genuine userinfo is taken: `scheme://userinfo@` (RFC 3986 authority), or the gRPC target that
// etcd clients build from such an endpoint, `dns:userinfo@`, `dns:///userinfo@` or
// `dns://authority/userinfo@`. The userinfo runs to the first `@` before any `/`, blank or quote, so an
// `@` in a path is not taken for it, and plain `word:x@y` text (`key:value@host`) is left alone.
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/|(?<![a-z0-9+.-])dns:(?:\/\/[^\s/@"'\\<>]*\/)?)[^\s/@"'\\<>]+@/giu;

/**
 * Replaces the userinfo of every URL in `text` with `[REDACTED]`:
 * `http://root:pw@10.0.0.1:2379` → `http://[REDACTED]@10.0.0.1:2379`.
 *
 * @example
 * ```ts
 * redactUrlCredentials('dial https://root:pw@etcd:2379 failed'); // 'dial https://[REDACTED]@etcd:2379 failed'
 * ```
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

/**
 * {@link redactUrlCredentials}, then every non-empty secret of `secrets` replaced by `[REDACTED]`, as
 * written and as JSON escapes it (a log line is JSON).
 *
 * @example
 * ```ts
 * redactText('login as root with hunter2', ['hunter2']); // 'login as root with [REDACTED]'
 * ```
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = redactUrlCredentials(text);
  for (const secret of secrets) {
    if (secret === '') continue;
    const escaped = JSON.stringify(secret).slice(1, -1);
    for (const form of escaped === secret ? [secret] : [escaped, secret]) result = result.split(form).join(REDACTED);
  }
  return result;
}
