/**
 * `flannel-ts`: the `flannel-ts` command line (a drop-in flanneld): flanneld's flags and `FLANNELD_*`
 * environment as typed options, the `config check` command, and the wiring that runs `@flannel-ts/agent`
 * (embedders use that package directly). The `demo` command is not exported here: it loads testlab, an
 * optional peer a daemon never needs.
 * @packageDocumentation
 */
export { main } from './main.js';
export type { MainDependencies } from './main.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo } from './cli-io.js';
export type { CliIo, TextSink, TextSource } from './cli-io.js';
export type { DaemonContext, DaemonRunner } from './commands/daemon-command.js';
export { flanneldRunner } from './flanneld-runner.js';
export { parseDaemonOptions, toDaemonOptions } from './daemon-options.js';
export type { DaemonOptions, DaemonOptionsResult } from './daemon-options.js';
export { envVarName } from './flags/flag-definition.js';
export type { FlagDefinition, FlagGroup, FlagKind, FlagValue } from './flags/flag-definition.js';
export { FLANNELD_FLAGS, findFlag } from './flags/flanneld-flags.js';
export { parseFlags } from './flags/parse-flags.js';
export type { FlagSource, ParsedFlags } from './flags/parse-flags.js';
export { parseGoBool, parseGoInt } from './flags/flag-values.js';
export { renderHelp } from './help.js';
export { cliVersion } from './version.js';
export { keepYoungGenerationSmall, YOUNG_GENERATION_GROWTH_FLAG } from './young-generation.js';
export type { YoungGenerationOptions } from './young-generation.js';
