/**
 * `@flannel-ts/cli`: the `flannel-ts` command line (a drop-in flanneld): flanneld's flags and
 * `FLANNELD_*` environment as typed options, logging, and the `config check` command.
 * @packageDocumentation
 */
export { main } from './main.js';
export type { MainDependencies } from './main.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo } from './cli-io.js';
export type { CliIo, TextSink, TextSource } from './cli-io.js';
export type { DaemonContext, DaemonRunner } from './commands/daemon-command.js';
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
export { verbosityToLevel } from './logging/verbosity.js';
export type { LogLevel } from './logging/verbosity.js';
export { cliVersion } from './version.js';
export { selectExternalInterface } from './external-interface.js';
export type { SelectExternalInterfaceOptions } from './external-interface.js';
