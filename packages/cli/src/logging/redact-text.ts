// Last line of defence for secrets in text that leaves the process (log lines, usage errors, crash
// reports): credentials embedded in a URL (`http://user:password@host`, which also shows up inside
// library errors as `dns:user:password@host`) and the known secret values themselves.

const REDACTED = '[REDACTED]';

// `scheme://userinfo@` or gRPC's `dns:userinfo@`: the userinfo runs to the first `@` before any
// `/`, blank or quote, so a later `@` in a path or message is not taken for it.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:(?:\/\/)?)[^\s/@"'\\<>]+@/giu;

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
