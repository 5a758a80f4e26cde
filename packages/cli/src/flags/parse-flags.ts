import { FlannelError } from '@flannel-ts/core';
import { envVarName } from './flag-definition.js';
import type { FlagDefinition, FlagValue } from './flag-definition.js';
import { parseGoBool, parseGoInt, showValue } from './flag-values.js';
import { FLANNELD_FLAGS } from './flanneld-flags.js';
import { REDACTED, redactCredentials } from './credential-spans.js';

/** Where a flag's value came from. */
export type FlagSource = 'command-line' | 'environment' | 'default';

/** The outcome of {@link parseFlags}: a value for every flag of the table. */
export interface ParsedFlags {
  readonly values: ReadonlyMap<string, FlagValue>;
  readonly sources: ReadonlyMap<string, FlagSource>;
  /** `-h`, `-help` or `--help` was given. */
  readonly help: boolean;
}

/** A usage error. Every value in `message` was shown through {@link show}, which hides its secrets. */
function invalid(message: string): FlannelError {
  return new FlannelError('FLAG_INVALID', message);
}

// Secrets are hidden where a value is put into a message, by position, never by searching the finished
// message for secret-looking text (that also hid flag names and words equal to a user name or password).
/** A value as a usage error shows it: a secret flag's as `[REDACTED]`, else with its URL passwords hidden. */
function show(text: string, flag?: FlagDefinition): string {
  return flag?.secret === true ? REDACTED : showValue(redactCredentials(text));
}

/**
 * A rule's text with the whole value hidden as {@link show} hides it, should the rule quote it (a regex
 * engine's message does). Rules that quote a piece of a value hide its secrets themselves (`etcdEndpoints`).
 */
function showRule(rule: string, text: string, flag: FlagDefinition): string {
  if (text === '') return rule;
  // A secret flag's rule should never quote the value; if one does, the secret goes wherever it stands.
  if (flag.secret === true) return rule.split(text).join(REDACTED);
  const hidden = redactCredentials(text);
  if (hidden === text) return rule;
  return rule.split(JSON.stringify(text)).join(JSON.stringify(hidden)).split(text).join(hidden);
}

/** `---name=value` and friends, shown with the value of a secret flag hidden (`---etcd-password=…`). */
function showBadSyntax(arg: string, byName: ReadonlyMap<string, FlagDefinition>): string {
  const equals = arg.indexOf('=');
  const name = arg.slice(0, equals < 0 ? arg.length : equals).replace(/^-+/u, '');
  if (equals < 0 || byName.get(name)?.secret !== true) return show(arg);
  return `${showValue(arg.slice(0, equals + 1))}${REDACTED}`;
}

/** Converts one text value to the flag's kind; throws `FLAG_INVALID` naming `origin` and the value. */
function convert(flag: FlagDefinition, text: string, origin: string): FlagValue {
  const shown = show(text, flag);
  switch (flag.kind) {
    case 'bool': {
      const value = parseGoBool(text);
      if (value === undefined) throw invalid(`${origin} ${shown} is invalid: must be true or false`);
      return value;
    }
    case 'int': {
      const value = parseGoInt(text);
      if (value === undefined) throw invalid(`${origin} ${shown} is invalid: must be an integer`);
      return value;
    }
    case 'list':
      return [text];
    case 'string':
      return text;
  }
}

function check(flag: FlagDefinition, value: FlagValue, origin: string): void {
  if (flag.validate === undefined) return;
  const validate = flag.validate as (value: FlagValue) => string | undefined;
  const entries = flag.kind === 'list' ? (value as readonly string[]).map((entry) => [entry]) : [value];
  for (const entry of entries) {
    const rule = validate(entry);
    if (rule !== undefined) {
      const text = Array.isArray(entry) ? String(entry[0]) : String(entry);
      throw invalid(`${origin} ${show(text, flag)} is invalid: ${showRule(rule, text, flag)}`);
    }
  }
}

/**
 * Parses flanneld's command line with Go `flag` semantics, then fills every flag not given there from
 * `FLANNELD_<NAME>` (when non-empty), then from its default; every value is checked against its rule.
 *
 * Syntax: `-x` and `--x`; `--x=v` and `--x v`; bools as `--x` or `--x=false` (never `--x false`);
 * repeatable list flags accumulate; `--` ends the flags. Unlike Go, stray positional arguments are
 * an error (flanneld silently ignores them, which hides `--ip-masq false` mistakes).
 *
 * Throws `FlannelError` `FLAG_INVALID` naming the flag or environment variable, the value (never a
 * secret's) and the rule: `--subnet-lease-renew-margin 0 is invalid: must be 1..1439`.
 *
 * @example
 * ```ts
 * const parsed = parseFlags(['--iface', 'eth0', '--ip-masq'], process.env);
 * parsed.values.get('ip-masq'); // true
 * ```
 */
export function parseFlags(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  table: readonly FlagDefinition[] = FLANNELD_FLAGS,
): ParsedFlags {
  const byName = new Map(table.map((flag) => [flag.name, flag]));
  const values = new Map<string, FlagValue>();
  const sources = new Map<string, FlagSource>();
  let help = false;
  let lastBoolFlag: string | undefined;

  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--') {
      if (index + 1 < argv.length) throw invalid(`unexpected argument ${show(argv[index + 1] as string)}: flanneld takes no arguments`);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      const hint = lastBoolFlag === undefined ? '' : ` (a bool flag takes its value after "=": --${lastBoolFlag}=${redactCredentials(arg)})`;
      throw invalid(`unexpected argument ${show(arg)}: flanneld takes no arguments${hint}`);
    }
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw invalid(`bad flag syntax: ${showBadSyntax(arg, byName)}`);
    const equals = body.indexOf('=');
    const name = equals < 0 ? body : body.slice(0, equals);
    let text = equals < 0 ? undefined : body.slice(equals + 1);
    lastBoolFlag = undefined;

    const flag = byName.get(name);
    if (flag === undefined) {
      if (name === 'h' || name === 'help') {
        help = true;
        continue;
      }
      throw invalid(`unknown flag --${redactCredentials(name)} (see flannel-ts --help)`);
    }
    const origin = `--${name}`;
    if (flag.kind === 'bool') {
      if (text === undefined) lastBoolFlag = name;
      text ??= 'true';
    } else if (text === undefined) {
      if (index + 1 >= argv.length) throw invalid(`${origin} needs a value`);
      index += 1;
      text = argv[index] as string;
    }
    const value = convert(flag, text, origin);
    check(flag, value, origin);
    if (flag.kind === 'list' && sources.get(name) === 'command-line') {
      values.set(name, [...(values.get(name) as readonly string[]), ...(value as readonly string[])]);
    } else {
      values.set(name, value);
    }
    sources.set(name, 'command-line');
  }

  for (const flag of table) {
    if (sources.has(flag.name)) continue;
    const variable = envVarName(flag.name);
    const text = env[variable];
    if (text !== undefined && text !== '') {
      const value = convert(flag, text, variable);
      check(flag, value, variable);
      values.set(flag.name, value);
      sources.set(flag.name, 'environment');
    } else {
      values.set(flag.name, flag.defaultValue);
      sources.set(flag.name, 'default');
    }
  }
  return { values, sources, help };
}
