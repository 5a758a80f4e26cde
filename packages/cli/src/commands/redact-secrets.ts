// What `flannel-ts config check` must not print: the secrets a backend section can hold. flannel's
// backends keep them as plain options (wireguard's and ipsec's `PSK`; the cloud backends' access key
// secrets), so they are found by name, at any depth of the `Backend` section, case-insensitively as
// flannel's JSON decoding matches keys.

/** Option names that hold a secret: a pre-shared key, a password, a token, a private or secret key. */
export const SECRET_OPTION_PATTERN = /psk|pre-?shared|secret|passw(or)?d|token|credential|private-?key/i;

/** What a secret's value is printed as. */
export const REDACTED = '[redacted]';

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_OPTION_PATTERN.test(key) && inner !== '' && inner !== null ? REDACTED : redactValue(inner)]));
}

/**
 * A copy of a resolved network config (flannel's key names) whose `Backend` options named like secrets
 * (see {@link SECRET_OPTION_PATTERN}) read `[redacted]`; empty values stay empty, so the output still
 * shows whether one is set.
 *
 * @example
 * ```ts
 * redactBackendSecrets({ Network: '10.5.0.0/16', Backend: { Type: 'wireguard', PSK: 'Zm9v…' } });
 * // { Network: '10.5.0.0/16', Backend: { Type: 'wireguard', PSK: '[redacted]' } }
 * ```
 */
export function redactBackendSecrets(config: Record<string, unknown>): Record<string, unknown> {
  return 'Backend' in config ? { ...config, Backend: redactValue(config['Backend']) } : config;
}
