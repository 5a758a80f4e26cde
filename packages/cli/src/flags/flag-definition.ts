/** The value kinds of flanneld's flags, as Go's `flag` package knows them. */
export type FlagKind = 'string' | 'bool' | 'int' | 'list';

/** The value a flag of each kind holds after parsing. */
export type FlagValue = string | boolean | number | readonly string[];

/** Help-screen groups, in display order. */
export type FlagGroup = 'etcd' | 'interface' | 'network' | 'traffic' | 'health' | 'kube' | 'logging' | 'general';

/**
 * One command-line flag: its name (without dashes), kind, default, help text and value rule.
 * `validate` returns the rule the value breaks (`must be 1..1439`), or `undefined` when it is valid.
 */
export interface FlagDefinition {
  readonly name: string;
  readonly kind: FlagKind;
  readonly defaultValue: FlagValue;
  readonly group: FlagGroup;
  readonly usage: string;
  /** Placeholder shown in help (`URLS`, `MINUTES`). */
  readonly valueName?: string;
  /** The value is a secret: never printed (help shows no default, errors show `[REDACTED]`). */
  readonly secret?: boolean;
  /** Accepted for compatibility but without effect here; a note is shown in help. */
  readonly ignored?: string;
  readonly validate?: (value: never) => string | undefined;
}

/** The environment variable flanneld reads for `name`: `FLANNELD_` + name uppercased, `-`/`.` → `_`. */
export function envVarName(name: string): string {
  return `FLANNELD_${name.toUpperCase().replace(/[-.]/gu, '_')}`;
}
