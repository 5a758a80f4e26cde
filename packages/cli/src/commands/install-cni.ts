import { installCni } from '@flannel-ts/cni-plugin';
import type { InstallCniOptions, PluginKind } from '@flannel-ts/cni-plugin';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';

const USAGE = `Usage: flannel-ts install-cni --bin-dir DIR [--conf FILE [--conf-dir DIR]] [--kind sea|script]
  Installs the flannel CNI plugin as DIR/flannel and, with --conf, FILE as <conf-dir>/10-flannel.conflist
  (default conf dir /etc/cni/net.d), each atomically; files already up to date are left alone.
  The self-contained executable is installed when it was built (pnpm build:sea), else the node script.
`;

/**
 * `flannel-ts install-cni`: a thin wrapper over `installCni` from @flannel-ts/cni-plugin (what
 * kube-flannel's install-cni init containers do).
 */
export function installCniCommand(args: readonly string[], io: CliIo): number {
  if (args.some((arg) => arg === '--help' || arg === '-h' || arg === '-help')) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const values: Record<string, string> = {};
  for (let index = 0; index < args.length; index++) {
    const match = /^--?(bin-dir|conf|conf-dir|kind)(?:=(.*))?$/.exec(args[index]!);
    const value = match?.[2] ?? args[index + 1];
    if (match === null || value === undefined) {
      io.stderr.write(`flannel-ts: install-cni: unexpected argument ${JSON.stringify(args[index])}\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (match[2] === undefined) index++;
    values[match[1]!] = value;
  }
  const kind = values['kind'];
  if (values['bin-dir'] === undefined || (kind !== undefined && kind !== 'sea' && kind !== 'script') || (values['conf-dir'] !== undefined && values['conf'] === undefined)) {
    io.stderr.write(`flannel-ts: install-cni: --bin-dir is required, --kind must be sea or script, --conf-dir needs --conf\n${USAGE}`);
    return EXIT_USAGE;
  }
  const options: InstallCniOptions = {
    binDir: values['bin-dir'],
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
