import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';

/**
 * A secret value (the etcd password) that cannot leak by accident: `String()`, `JSON.stringify`,
 * `console.log`/`util.inspect` and template literals all show `[REDACTED]`. Call `reveal()` at the one
 * place that needs the value (the etcd client).
 *
 * @example
 * ```ts
 * const password = new Secret('hunter2');
 * JSON.stringify({ password }); // '{"password":"[REDACTED]"}'
 * password.reveal();            // 'hunter2'
 * ```
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Never log it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
