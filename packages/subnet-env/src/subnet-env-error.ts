/**
 * Stable codes for every failure of `@flannel-ts/subnet-env`. Match on `code`, never on `message`.
 *
 * - `SUBNET_ENV_NOT_FOUND`: the file does not exist.
 * - `SUBNET_ENV_TOO_LARGE`: the file is larger than the reader accepts (a subnet.env is ~150 bytes).
 * - `SUBNET_ENV_MALFORMED`: a line is not `KEY=VALUE` in the dotenv syntax flannel reads.
 * - `SUBNET_ENV_MISSING_KEYS`: required keys are absent (the CNI plugin's rule).
 * - `SUBNET_ENV_INVALID_VALUE`: a value (CIDR, MTU, boolean) is not valid for its key.
 * - `SUBNET_ENV_READ_FAILED` / `SUBNET_ENV_WRITE_FAILED`: an I/O error; the system error is the `cause`.
 */
export type SubnetEnvErrorCode =
  | 'SUBNET_ENV_NOT_FOUND'
  | 'SUBNET_ENV_TOO_LARGE'
  | 'SUBNET_ENV_MALFORMED'
  | 'SUBNET_ENV_MISSING_KEYS'
  | 'SUBNET_ENV_INVALID_VALUE'
  | 'SUBNET_ENV_READ_FAILED'
  | 'SUBNET_ENV_WRITE_FAILED';

/** Extra context attached to a {@link SubnetEnvError}. */
export interface SubnetEnvErrorDetails {
  /** The file involved, when there is one. */
  readonly path?: string;
  /** The key involved (`FLANNEL_MTU`), when there is one. */
  readonly key?: string;
  /** The 1-based line number involved, when there is one. */
  readonly line?: number;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

const MARKER = Symbol.for('@flannel-ts/subnet-env/SubnetEnvError');
/** The brand every flannel-ts error carries (core's `isFlannelTsError` checks it); by name, so this package stays dependency-free. */
const FLANNEL_TS_ERROR = Symbol.for('flannel-ts.error');

/**
 * The one error class of this package. It deliberately does not extend core's `FlannelError` so the
 * package stays dependency-free; it carries the brand every flannel-ts error shares, so core's
 * `isFlannelTsError(error)` / `hasErrorCode(error, 'SUBNET_ENV_NOT_FOUND')` recognise it.
 *
 * @example
 * ```ts
 * try { await readSubnetEnv('/run/flannel/subnet.env') }
 * catch (error) {
 *   if (SubnetEnvError.isInstance(error) && error.code === 'SUBNET_ENV_NOT_FOUND') return undefined;
 *   throw error;
 * }
 * ```
 */
export class SubnetEnvError extends Error {
  /** Stable machine-readable code. */
  readonly code: SubnetEnvErrorCode;
  /** The file involved, when there is one. */
  readonly path: string | undefined;
  /** The key involved, when there is one. */
  readonly key: string | undefined;
  /** The 1-based line involved, when there is one. */
  readonly line: number | undefined;
  /** @internal brand that survives duplicate installs of this package. */
  readonly [MARKER] = true;
  /** @internal brand shared by every flannel-ts error. */
  readonly [FLANNEL_TS_ERROR] = true;

  constructor(code: SubnetEnvErrorCode, message: string, details: SubnetEnvErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SubnetEnvError';
    this.code = code;
    this.path = details.path;
    this.key = details.key;
    this.line = details.line;
  }

  /** True for any `SubnetEnvError`, even one created by another copy of this package. */
  static isInstance(value: unknown): value is SubnetEnvError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
