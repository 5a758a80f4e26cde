/**
 * The closed set of failure codes a {@link TestlabError} carries. Stable: tests may match on them.
 *
 * - `NOT_ROOT`: the operation needs root (CAP_NET_ADMIN / CAP_SYS_ADMIN) to create namespaces.
 * - `COMMAND_NOT_FOUND`: a program the lab runs (`ip`, `etcd`, `ping` …) is not installed.
 * - `COMMAND_FAILED`: a program exited non-zero where success was required.
 * - `TIMEOUT`: a wait (`waitFor`, a command, etcd readiness) ran out of time.
 * - `ETCD_FAILED`: an etcd member did not start, or the cluster gave an unexpected answer.
 * - `INVALID_OPTIONS`: an option was out of range; the message names the field, value and rule.
 * - `LAB_CLOSED`: the lab (or cluster) was used after `close()`.
 * - `NOT_FOUND`: a host or member that does not exist was named.
 * - `ADDRESS_CLASH`: no clash-free private address could be found for the root-namespace link.
 */
export type TestlabErrorCode =
  | 'NOT_ROOT'
  | 'COMMAND_NOT_FOUND'
  | 'COMMAND_FAILED'
  | 'TIMEOUT'
  | 'ETCD_FAILED'
  | 'INVALID_OPTIONS'
  | 'LAB_CLOSED'
  | 'NOT_FOUND'
  | 'ADDRESS_CLASH';

const brand = Symbol.for('@flannel-ts/testlab/TestlabError');

/**
 * The one error type the testlab throws, with a stable {@link TestlabErrorCode}.
 *
 * @example
 * ```ts
 * try { await lab.host('h9'); } catch (error) {
 *   if (TestlabError.isInstance(error) && error.code === 'NOT_FOUND') { … }
 * }
 * ```
 */
export class TestlabError extends Error {
  override readonly name = 'TestlabError';
  /** Stable machine-readable code. */
  readonly code: TestlabErrorCode;
  /** Extra detail for humans (e.g. the tail of a process's stderr), also folded into `message`. */
  readonly detail: string | undefined;
  readonly [brand] = true;

  constructor(code: TestlabErrorCode, message: string, options: { cause?: unknown; detail?: string } = {}) {
    const detail = options.detail?.trim();
    super(detail ? `${message}\n--- detail ---\n${detail}` : message, { cause: options.cause });
    this.code = code;
    this.detail = detail;
  }

  /** `instanceof` that also works across duplicate installs of this package. */
  static isInstance(value: unknown): value is TestlabError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}
