// The per-container delegate config flannel's plugin keeps between ADD and DEL (cni-plugin `flannel.go`
// `saveScratchNetConf`, `consumeScratchNetConf`): `<dataDir>/<containerID>`, the delegate map as
// `json.Marshal` writes it (compact, keys sorted), mode 0600 in a 0700 directory, synced before the
// delegate runs. Because the bytes are Go's, flannel's Go plugin can DEL what this plugin ADDed and the
// reverse.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, goPathError } from '../go-json/go-path-error.js';

/** `filepath.Join(dataDir, containerID)`. */
export function scratchPath(dataDir: string, containerId: string): string {
  return join(dataDir, containerId);
}

/** `saveScratchNetConf`: mkdir -p (0700), then write, fsync and close `<dataDir>/<containerID>` (0600). */
export function saveScratchNetConf(containerId: string, dataDir: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw goPathError('mkdir', dataDir, error);
  }
  const path = scratchPath(dataDir, containerId);
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (error) {
    throw goPathError('open', path, error);
  }
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (error) {
    throw goPathError('write', path, error);
  } finally {
    closeSync(fd);
  }
}

/** The stored delegate config, or undefined when there is none (DEL then has nothing to do). */
export function readScratchNetConf(containerId: string, dataDir: string): Buffer | undefined {
  const path = scratchPath(dataDir, containerId);
  try {
    return readFileSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw goPathError(errnoCode(error) === 'EISDIR' ? 'read' : 'open', path, error);
  }
}

/** Removes the stored config, ignoring errors (the spec lets DEL carry on). */
export function removeScratchNetConf(containerId: string, dataDir: string): void {
  try {
    rmSync(scratchPath(dataDir, containerId), { force: true });
  } catch {
    // ignored, as flannel's `_ = os.Remove(path)`
  }
}
