import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatSubnetEnv } from './format-subnet-env.js';
import { makeDirectory } from './make-directory.js';
import type { SubnetEnvValues } from './format-subnet-env.js';
import { SubnetEnvError } from './subnet-env-error.js';

/** What a non-regular file is, for the message. */
function fileKind(info: Awaited<ReturnType<typeof lstat>>): string | undefined {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return undefined;
}

/**
 * The rename would replace whatever is at `path`: `--subnet-file=/dev/null` run as root would put a regular
 * file in place of the device (flannel's `WriteSubnetFile` renames over it too). A device, FIFO or socket is
 * refused; a missing file, a regular file or a symlink (the link is replaced, not its target) is fine.
 */
async function refuseSpecialFile(path: string): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return; // absent (or unreadable: the write reports it)
  }
  const kind = fileKind(info);
  if (kind !== undefined) {
    throw new SubnetEnvError('SUBNET_ENV_WRITE_FAILED', `could not write ${path}: it is ${kind}, not a regular file, and is left alone`, { path });
  }
}

/**
 * Writes `contents` to `path` atomically, as Go's `renameio.WriteFile`: a temporary file in the same
 * directory, `fsync`, `chmod`, then `rename` over the target (readers see the old or the new file,
 * never a partial one). The parent directory is created with mode 0755 when missing; a parent that
 * cannot hold it fails at once with its real errno (`mkdir /proc/x: ENOENT`, a file: `ENOTDIR`).
 */
export async function writeFileAtomic(path: string, contents: string, mode = 0o644): Promise<void> {
  await refuseSpecialFile(path);
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await makeDirectory(directory, 0o755);
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(contents);
      await handle.chmod(mode); // the umask must not change the mode, as renameio does
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    // The step the kernel refused, its path and the real errno: `mkdir /proc/x: ENOENT`.
    const errno = error as NodeJS.ErrnoException;
    const reason = errno.code === undefined ? errno.message : `${errno.syscall ?? 'write'} ${errno.path ?? path}: ${errno.code}`;
    throw new SubnetEnvError('SUBNET_ENV_WRITE_FAILED', `could not write ${path}: ${reason}`, { path, cause: error });
  }
  // Make the rename itself durable; best effort (some filesystems refuse fsync on a directory).
  try {
    const directoryHandle = await open(directory, 'r');
    await directoryHandle.sync().finally(() => directoryHandle.close());
  } catch {
    // ignored: the file is in place either way
  }
}

/**
 * Writes flanneld's subnet.env (see {@link formatSubnetEnv}) atomically with mode 0644, creating the
 * parent directory (0755) when needed. Values are validated before anything touches the disk.
 *
 * @example
 * ```ts
 * await writeSubnetEnv('/run/flannel/subnet.env', {
 *   network: '10.5.0.0/16', subnet: '10.5.72.0/24', mtu: 1450, ipMasq: true,
 * });
 * ```
 */
export async function writeSubnetEnv(path: string, values: SubnetEnvValues): Promise<void> {
  await writeFileAtomic(path, formatSubnetEnv(values), 0o644);
}
