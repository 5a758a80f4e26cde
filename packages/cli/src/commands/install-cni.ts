import { installCni } from '@flannel-ts/cni-plugin';
import type { InstallCniOptions, PluginKind } from '@flannel-ts/cni-plugin';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';

const USAGE = `Usage: flannel-ts install-cni --bin-dir DIR [--conf FILE [--conf-dir DIR]] [--kind sea|script]
  Installs the flannel CNI plugin as DIR/flannel and, with --conf, FILE as <conf-dir>/10-flannel.conflist
  (default conf dir /etc/cni/net.d), each atomically; files already up to date are left alone.
  The self-contained executable is installed when it was built (pnpm build:sea), else the node script.
`;

const FLAGS = ['bin-dir', 'conf', 'conf-dir', 'kind'] as const;

/**
 * The flags' values (`--x VALUE`, `--x=VALUE`, one or two dashes; the last one given wins, as Go's flag
 * package), or the usage problem: a flag whose value is missing or looks like the next flag
 * (`--bin-dir --conf x` is not a bin dir named "--conf"), an empty value, an unknown argument, no --bin-dir,
 * a --kind other than sea or script, --conf-dir without --conf.
 */
function parseInstallCniArgs(args: readonly string[]): Partial<Record<(typeof FLAGS)[number], string>> | string {
  const values: Partial<Record<(typeof FLAGS)[number], string>> = {};
  for (let index = 0; index < args.length; index++) {
    const match = /^--?([a-z-]+)(?:=([\s\S]*))?$/u.exec(args[index]!);
    const name = FLAGS.find((flag) => flag === match?.[1]);
    if (match === null || name === undefined) return `unexpected argument ${JSON.stringify(args[index])}`;
    let value = match[2];
    if (value === undefined) {
      value = args[index + 1];
      if (value === undefined || value.startsWith('-')) return `--${name} needs a value`;
      index++;
    }
    if (value === '') return `--${name} "" is invalid: must not be empty`;
    values[name] = value;
  }
  if (values['bin-dir'] === undefined) return '--bin-dir is required';
  if (values['kind'] !== undefined && values['kind'] !== 'sea' && values['kind'] !== 'script') {
    return `--kind ${JSON.stringify(values['kind'])} is invalid: must be sea or script`;
  }
  if (values['conf-dir'] !== undefined && values['conf'] === undefined) return '--conf-dir needs --conf';
  return values;
}

/**
 * `flannel-ts install-cni`: a thin wrapper over `installCni` from @flannel-ts/cni-plugin (what
 * kube-flannel's install-cni init containers do).
 */
export function installCniCommand(args: readonly string[], io: CliIo): number {
  if (args.some((arg) => arg === '--help' || arg === '-h' || arg === '-help')) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const parsed = parseInstallCniArgs(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`flannel-ts: install-cni: ${parsed}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const values = parsed;
  const kind = values['kind'];
  const options: InstallCniOptions = {
    binDir: values['bin-dir']!,
    ...(values['conf'] === undefined ? {} : { conf: values['conf'] }),
    ...(values['conf-dir'] === undefined ? {} : { confDir: values['conf-dir'] }),
    ...(kind === undefined ? {} : { kind: kind as PluginKind }),
  };
  try {
    const result = installCni(options);
    const state = (changed: boolean): string => (changed ? 'installed' : 'up to date');
    io.stdout.write(`${result.plugin.path}: ${state(result.plugin.changed)} (${result.plugin.kind === 'sea' ? 'self-contained executable' : 'node script'})\n`);
    if (result.conflist) io.stdout.write(`${result.conflist.path}: ${state(result.conflist.changed)}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`flannel-ts: install-cni: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
