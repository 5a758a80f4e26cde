import type { DaemonRunner } from '../commands/daemon-command.js';

/**
 * The `DaemonRunner` the `flannel-ts` bin plugs into `main`: `runDaemon` over the real boundaries
 * (`createFlanneldDependencies`). Loaded on first use, so `flannel-ts --help` or `config check` never load
 * etcd, rtnetlink or the backends.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), undefined, { runDaemon: flanneldRunner });
 * ```
 */
export const flanneldRunner: DaemonRunner = async (options, context) => {
  const { runDaemon } = await import('./run-daemon.js');
  const { createFlanneldDependencies } = await import('./flanneld-dependencies.js');
  return runDaemon(options, { ...createFlanneldDependencies(), logger: context.logger, signal: context.signal, env: context.io.env });
};
