// CNI spec versions as skel handles them (containernetworking/cni `pkg/version/plugin.go`, `reconcile.go`,
// `pkg/types/create/create.go`).
import { goJsonEncode } from '../go-json/go-json-encode.js';

/** The spec versions flannel's plugin supports (`version.All`), oldest first. */
export const SUPPORTED_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;

/** The spec version the CNI library implements (`version.Current()`). */
export const CURRENT_VERSION = '1.1.0';

/**
 * `version.ParseVersion`: `major.minor.micro`, fewer parts allowed, `""` is 0.1.0. Throws Go's texts.
 */
export function parseCniVersion(version: string): [number, number, number] {
  if (version === '') return [0, 1, 0];
  const parts = version.split('.');
  if (parts.length >= 4) throw new Error(`invalid version "${version}": too many parts`);
  const names = ['major', 'minor', 'micro'];
  return [0, 1, 2].map((index) => {
    const part = parts[index];
    if (part === undefined) return 0;
    // strconv.Atoi: optional sign, decimal digits.
    if (!/^[+-]?[0-9]+$/.test(part)) throw new Error(`failed to convert ${names[index]} version part "${part}": strconv.Atoi: parsing "${part}": invalid syntax`);
    return Number(part);
  }) as [number, number, number];
}

/** `version.GreaterThanOrEqualTo`. */
export function cniVersionAtLeast(version: string, other: string): boolean {
  const [a, b, c] = parseCniVersion(version);
  const [x, y, z] = parseCniVersion(other);
  return a > x || (a === x && (b > y || (b === y && c >= z)));
}

/** Go's `%q` of a string slice: `["0.1.0" "0.2.0"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(' ')}]`;
}

/** What the VERSION command prints (`pluginInfo.Encode`: json.Encoder, so a trailing newline). */
export function versionInfoText(): string {
  return `${goJsonEncode({ cniVersion: CURRENT_VERSION, supportedVersions: [...SUPPORTED_VERSIONS] }, { sortKeys: false })}\n`;
}
