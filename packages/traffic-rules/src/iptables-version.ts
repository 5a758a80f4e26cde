/** An iptables version triple. */
export interface IptablesVersion {
  /** `1` in `v1.8.9`. */
  readonly major: number;
  /** `8` in `v1.8.9`. */
  readonly minor: number;
  /** `9` in `v1.8.9`. */
  readonly patch: number;
}

/**
 * Reads the first `vX.Y.Z` in `iptables --version` output (`iptables v1.8.9 (nf_tables)`); `undefined` when
 * there is none.
 */
export function parseIptablesVersion(text: string): IptablesVersion | undefined {
  const match = /v([0-9]+)\.([0-9]+)\.([0-9]+)/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * True from iptables 1.6.2 on: the version that added both `iptables-restore --wait` and
 * `MASQUERADE --random-fully` (the test flannel and go-iptables' `HasRandomFully` apply).
 */
export function isAtLeast162(version: IptablesVersion | undefined): boolean {
  if (version === undefined) return false;
  const { major, minor, patch } = version;
  return major > 1 || (major === 1 && (minor > 6 || (minor === 6 && patch >= 2)));
}
