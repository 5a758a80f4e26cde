// The CNI spec's error result (containernetworking/cni `pkg/types/types.go` `Error`): what a plugin prints
// on stdout, with exit status 1, when a command fails. It is a wire type of its own, kept apart from
// @flannel-ts/core's FlannelError so the plugin's import graph stays small.
import { goJsonEncode } from '../go-json/go-json-encode.js';

/** The spec's well-known error codes (`pkg/types/types.go`), by their Go names. */
export const CNI_ERROR_CODES = {
  ErrUnknown: 0,
  ErrIncompatibleCNIVersion: 1,
  ErrUnsupportedField: 2,
  ErrUnknownContainer: 3,
  ErrInvalidEnvironmentVariables: 4,
  ErrIOFailure: 5,
  ErrDecodingFailure: 6,
  ErrInvalidNetworkConfig: 7,
  ErrInvalidNetNS: 8,
  ErrTryAgainLater: 11,
  ErrInternal: 999,
} as const;

/**
 * A CNI error: `code`, `msg` and optional `details`, printed as flannel prints it
 * (`json.MarshalIndent(err, "", "    ")`, no trailing newline).
 *
 * @example
 * ```ts
 * new CniError(CNI_ERROR_CODES.ErrInvalidNetworkConfig, 'missing network name').toJSONText();
 * // '{\n    "code": 7,\n    "msg": "missing network name"\n}'
 * ```
 */
export class CniError extends Error {
  override readonly name = 'CniError';

  constructor(
    readonly code: number,
    readonly msg: string,
    readonly details = '',
    options?: { cause?: unknown },
  ) {
    super(details === '' ? msg : `${msg}; ${details}`, options);
  }

  /** True for a CniError from any copy of this package. */
  static isInstance(value: unknown): value is CniError {
    return value instanceof Error && value.name === 'CniError' && typeof (value as CniError).code === 'number';
  }

  /** The error JSON flannel prints on stdout. */
  toJSONText(): string {
    return goJsonEncode({ code: this.code, msg: this.msg, details: this.details === '' ? undefined : this.details }, { sortKeys: false, indent: '    ' });
  }
}
