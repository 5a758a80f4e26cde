import type { DaemonRunner } from './commands/daemon-command.js';
import { boundRegexBacktracking } from './regex-backtracking.js';
import { cliVersion } from './version.js';
import { keepYoungGenerationSmall } from './young-generation.js';

/**
 * The `DaemonRunner` the `flannel-ts` bin plugs into `main`: `startAgent` from `@flannel-ts/agent`, called
 * exactly as an embedder would, over the real boundaries. Loaded on first use, so `flannel-ts --help` or
 * `config check` never load etcd, rtnetlink or the backends.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), undefined, { runDaemon: flanneldRunner });
 * ```
 */
export const flanneldRunner: DaemonRunner = async (options, context) => {
  // A process-wide V8 setting, made here by the process's owner (the bin) before the daemon allocates.
  keepYoungGenerationSmall();
  boundRegexBacktracking();
  const { createFlanneldDependencies, startAgent } = await import('@flannel-ts/agent');
  // flanneld's User-Agent is `flanneld/<version> (linux/<arch>) kubernetes/$Format`.
  const userAgent = `flannel-ts/${cliVersion()} (linux/${process.arch}) kubernetes/$Format`;
  const dependencies = createFlanneldDependencies({ env: context.io.env, userAgent });
  const agent = startAgent(options, { logger: context.logger, signal: context.signal, env: context.io.env, dependencies });
  return agent.done;
};
