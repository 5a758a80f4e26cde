// Log a lease the backend cannot use once per reason, not at every pass; forget what a full pass no longer
// sees, so a lease that is fixed and breaks again is reported again and the record does not grow with churn.
import type { Logger } from '@flannel-ts/core';

/**
 * Once-per-key logging across reconcile passes.
 *
 * @example
 * ```ts
 * const once = new OnceLog(logger);
 * once.beginFullPass();
 * once.log('4|10.5.3.0/24|bad PublicIP', 'warn', { subnet: '10.5.3.0/24' }, 'ignoring lease: bad PublicIP');
 * once.endFullPass(); // keys not logged (or seen) during the pass are forgotten
 * ```
 */
export class OnceLog {
  #logged = new Set<string>();
  #seen: Set<string> | undefined;

  constructor(private readonly logger: Logger) {}

  /** Starts recording which keys the coming full pass sees. */
  beginFullPass(): void {
    this.#seen = new Set();
  }

  /** Forgets the keys the full pass did not see. */
  endFullPass(): void {
    if (this.#seen !== undefined) this.#logged = this.#seen;
    this.#seen = undefined;
  }

  /**
   * Logs `message` at `level` unless `key` was logged before (and not forgotten since); a repeat goes to
   * `debug`. Returns whether it was logged at `level`.
   */
  log(key: string, level: 'debug' | 'warn', fields: Record<string, unknown>, message: string): boolean {
    this.#seen?.add(key);
    if (this.#logged.has(key)) {
      if (level !== 'debug') this.logger.debug(fields, message);
      return false;
    }
    this.#logged.add(key);
    this.logger[level](fields, message);
    return true;
  }
}
