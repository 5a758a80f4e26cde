/**
 * `@flannel-ts/cli`: the `flannel-ts` command line (a drop-in flanneld): flanneld's flags and
 * `FLANNELD_*` environment as typed options, logging, the `config check` command, and the daemon's run
 * loop for embedders (`runDaemon` over `createFlanneldDependencies()` or injected boundaries).
 * The `demo` command is not exported here: it loads testlab, which a daemon never needs.
 * @packageDocumentation
 */
export { main } from './main.js';
export type { MainDependencies } from './main.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo } from './cli-io.js';
export type { CliIo, TextSink, TextSource } from './cli-io.js';
export type { DaemonContext, DaemonRunner } from './commands/daemon-command.js';
export { runDaemon } from './daemon/run-daemon.js';
export type { DaemonExitStatus, RunDaemonDependencies } from './daemon/run-daemon.js';
export type { DaemonBackendDependencies, DaemonBackendEntry, DaemonDependencies, DaemonReadyState } from './daemon/daemon-dependencies.js';
export { createFlanneldDependencies, FLANNELD_BACKENDS } from './daemon/flanneld-dependencies.js';
export { flanneldRunner } from './daemon/flanneld-runner.js';
export { startHealthServer } from './daemon/health-server.js';
export type { HealthServer, HealthServerOptions } from './daemon/health-server.js';
export { notifySocketAddress, sdNotify } from './daemon/sd-notify.js';
export type { SdNotifyOptions } from './daemon/sd-notify.js';
export { parseDaemonOptions, toDaemonOptions } from './daemon-options.js';
export type { DaemonOptions, DaemonOptionsResult } from './daemon-options.js';
export { Secret } from './secret.js';
export { envVarName } from './flags/flag-definition.js';
export type { FlagDefinition, FlagGroup, FlagKind, FlagValue } from './flags/flag-definition.js';
export { FLANNELD_FLAGS, findFlag } from './flags/flanneld-flags.js';
export { parseFlags } from './flags/parse-flags.js';
export type { FlagSource, ParsedFlags } from './flags/parse-flags.js';
export { parseGoBool, parseGoInt } from './flags/flag-values.js';
export { renderHelp } from './help.js';
export { createLogger, REDACT_PATHS } from './logging/create-logger.js';
export type { CreateLoggerOptions, LogDestination } from './logging/create-logger.js';
export { formatPrettyLine } from './logging/pretty-line.js';
export { redactText, redactUrlCredentials } from './logging/redact-text.js';
export { verbosityToLevel } from './logging/verbosity.js';
export type { LogLevel } from './logging/verbosity.js';
export { cliVersion } from './version.js';
export { selectExternalInterface } from './external-interface.js';
export type { SelectExternalInterfaceOptions } from './external-interface.js';
