// Installing one file the way kube-flannel's `install-conf` does (flannel `cmd/install_conf`): a temporary
// file in the destination directory, written, fsynced and chmodded, then renamed over the destination, so
// a runtime scanning the directory never sees half a file. Unchanged content and mode are left alone.
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** True when `path` holds exactly `bytes` with permission bits `mode`. */
function alreadyInstalled(path: string, bytes: Uint8Array, mode: number): boolean {
  try {
    return (statSync(path).mode & 0o7777) === mode && Buffer.compare(readFileSync(path), bytes) === 0;
  } catch {
    return false;
  }
}

/**
 * Writes `bytes` to `path` atomically (temp file + fsync + rename) with `mode`; returns false when the file
 * already had that content and mode (nothing written).
 *
 * @example
 * ```ts
 * installFileAtomically('/etc/cni/net.d/10-flannel.conflist', Buffer.from(conflist), 0o644);
 * ```
 */
export function installFileAtomically(path: string, bytes: Uint8Array, mode: number): boolean {
  if (alreadyInstalled(path, bytes, mode)) return false;
  const temporary = join(dirname(path), `.${basename(path)}.tmp${randomBytes(6).toString('hex')}`);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return true;
}
