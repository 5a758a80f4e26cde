/**
 * `@flannel-ts/backend-extension`: the extension backend — operator commands run at startup and for
 * every remote subnet, flannel's rules exactly.
 * @packageDocumentation
 */
export { createExtensionBackend, DEFAULT_COMMAND_TIMEOUT_MS, MAX_BACKEND_DATA_OUTPUT_BYTES } from './extension-backend.js';
export type { ExtensionBackendOptions } from './extension-backend.js';
export { createExtensionNetwork, peerBackendDataText } from './extension-network.js';
export type { ExtensionBatchReport, ExtensionNetworkOptions } from './extension-network.js';
export { EXTENSION_COMMAND_KEYS, parseExtensionOptions } from './extension-options.js';
export type { ExtensionOptions } from './extension-options.js';
export { isUtf8, runExtensionCommand } from './extension-command.js';
export type { ExtensionCommand, ExtensionCommandContext, ExtensionCommandResult } from './extension-command.js';
export { commandArgv, expandVariables, splitCommandFields, trimGoSpace } from './command-line.js';
export { MAX_COMMAND_OUTPUT_BYTES, spawnCommand } from './run-command.js';
export type { CommandOutcome, CommandRequest, RunCommand } from './run-command.js';
export { runCommandFrom } from './command-runner-adapter.js';
export type { CommandRunnerLike } from './command-runner-adapter.js';
