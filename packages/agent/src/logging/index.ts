/**
 * `@flannel-ts/agent/logging`: the agent's logger (JSON lines, or pretty on a terminal) and what keeps
 * secrets out of it. Its own entry point, so a command line can log without loading the agent's
 * backends, etcd client and rtnetlink.
 * @packageDocumentation
 */
export { createLogger, REDACT_PATHS } from './create-logger.js';
export { exitErrorFields } from './exit-error-fields.js';
export { createJsonLineLogger, LOG_LEVEL_VALUES } from './json-line-logger.js';
export type { JsonLineLogger, JsonLineLoggerOptions, LogMethodLevel } from './json-line-logger.js';
export type { CreateLoggerOptions, LogDestination } from './create-logger.js';
export { formatPrettyLine } from './pretty-line.js';
export { redactText, redactUrlCredentials } from './redact-text.js';
export { verbosityToLevel } from './verbosity.js';
export type { LogLevel } from './verbosity.js';
export { Secret } from '../secret.js';
