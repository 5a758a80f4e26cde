/**
 * Test doubles for `@flannel-ts/backend-extension`: a recording `RunCommand`.
 * @packageDocumentation
 */
export { createRecordingCommandRunner, exited } from './recording-command-runner.js';
export type { CommandScript, RecordedCommand, RecordingCommandRunner } from './recording-command-runner.js';
