import type { CliIo } from './cli-io.js';
import { EXIT_FAILURE, processIo } from './cli-io.js';
import { configCheck } from './commands/config-check.js';
import { daemonCommand } from './commands/daemon-command.js';
import { redactUrlCredentials } from '@flannel-ts/agent/logging';
import { listenForShutdownSignals } from './shutdown-signals.js';
import type { DaemonRunner } from './commands/daemon-command.js';
import { cliVersion } from './version.js';

/** Optional collaborators of {@link main}. */
export interface MainDependencies {
  /** The daemon's run loop; without it, running the daemon reports that it is not available. */
  readonly runDaemon?: DaemonRunner;
  /** Aborts a running daemon (the bin wires SIGINT/SIGTERM here). */
  readonly signal?: AbortSignal;
}

/**
 * The `flannel-ts` command line. Returns the exit status; never calls `process.exit`.
 *
 * - `flannel-ts config check [FILE|-]`: check a network config and print it resolved.
 * - `flannel-ts demo [--hosts N] [--backend vxlan|host-gw|udp|extension|wireguard] [--kube]`: a throwaway cluster in namespaces (root);
 *   imported on first use, so the daemon never loads testlab.
 * - `flannel-ts [flanneld flags]`: `--help`, `--version`, or run the daemon.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const status = await main(['config', 'check', 'examples/vxlan.json'], {
 *   stdout: { write: (text: string) => out.push(text) }, stderr: process.stderr, env: {},
 * });
 * ```
 */
export async function main(argv: readonly string[], io?: CliIo, dependencies: MainDependencies = {}): Promise<number> {
  // The real process (no injected io): SIGINT/SIGTERM abort a running daemon, as flanneld's handlers.
  let signal = dependencies.signal;
  let removeHandlers = (): void => {};
  if (io === undefined && signal === undefined && dependencies.runDaemon !== undefined) {
    // Kept until the daemon returns: a second signal during shutdown is ignored, not fatal.
    const shutdown = listenForShutdownSignals(process, { onHangup: () => reportHangup(io ?? processIo()) });
    removeHandlers = shutdown.dispose;
    signal = shutdown.signal;
  }
  io ??= processIo();
  try {
    // Dynamic: the demo pulls in testlab (namespaces, etcd processes), which neither the daemon nor
    // `config check` needs.
    if (argv[0] === 'demo') return await (await import('./demo/demo-command.js')).demoCommand(argv.slice(1), io);
    if (argv[0] === 'install-cni') return (await import('./commands/install-cni.js')).installCniCommand(argv.slice(1), io);
    if (argv[0] === 'config') {
      if (argv[1] === 'check') return await configCheck(argv.slice(2), io);
      io.stderr.write(
        argv[1] === undefined
          ? 'flannel-ts: the config command needs a subcommand: flannel-ts config check [FILE|-]\n'
          : `flannel-ts: unknown command "config ${argv[1]}": the config command has one subcommand, check\n`,
      );
      return 2;
    }
    return await daemonCommand(argv, io, {
      version: cliVersion(),
      ...(dependencies.runDaemon === undefined ? {} : { runDaemon: dependencies.runDaemon }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`flannel-ts: internal error: ${redactUrlCredentials(text)}\n`);
    return EXIT_FAILURE;
  } finally {
    removeHandlers();
  }
}

/** SIGHUP is ignored: one warn line in the daemon's JSON-lines form (pino level 40). */
function reportHangup(io: CliIo): void {
  const message = 'SIGHUP received and ignored: flannel-ts reloads nothing (the network config follows etcd); restart it to apply new flags';
  io.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, msg: message })}\n`);
}

export { flanneldRunner } from './flanneld-runner.js';
