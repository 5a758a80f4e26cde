/** Keys longer than this are cut in log lines and messages. */
const MAX_KEY_CHARACTERS = 120;

/**
 * An etcd key as it may appear in a log line or an error message: control characters, quotes and
 * backslashes escaped (JSON string rules, so a key cannot forge a log line), and a key longer than 120
 * characters cut with a note of its length (so a hostile key cannot flood the log).
 *
 * @example
 * ```ts
 * printableKey('/coreos.com/network/subnets/10.5.34.0-24\nlevel=error'); // '…/10.5.34.0-24\\nlevel=error'
 * ```
 */
export function printableKey(key: string): string {
  const cut = key.length > MAX_KEY_CHARACTERS ? `${key.slice(0, MAX_KEY_CHARACTERS)}… (${key.length} characters)` : key;
  return JSON.stringify(cut).slice(1, -1);
}
