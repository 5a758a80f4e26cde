/**
 * Test doubles for `@flannel-ts/backend-wireguard`: a recording WireGuard driver and an in-memory key store.
 * @packageDocumentation
 */
export { createRecordingWireguardDriver, wgSetCommand } from './recording-wireguard-driver.js';
export type { RecordedWireguardCall, RecordingWireguardDriver } from './recording-wireguard-driver.js';
export { memoryKeyStore } from './memory-key-store.js';
export { createRecordingGenetlink } from './recording-genetlink.js';
export type { RecordedGenetlinkRequest } from './recording-genetlink.js';
