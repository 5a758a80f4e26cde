// `mkdir -p` that always ends. Node's `mkdir(path, { recursive: true })` loops forever where a parent
// exists but refuses to hold the child with ENOENT (procfs: `/proc/x/subnet.env` spins at 100% CPU in the
// thread pool, and the process can no longer exit), and reports EEXIST where a parent is a file. This
// walks up at most once per path component and reports the real errno of the directory that failed.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An error of {@link makeDirectory}: the errno code and the directory it concerns. */
export interface MakeDirectoryError extends Error {
  readonly code: string;
  readonly path: string;
  readonly syscall: 'mkdir';
}

function failure(code: string, path: string, cause?: unknown): MakeDirectoryError {
  return Object.assign(new Error(`mkdir ${path}: ${code}`, { cause }), { code, path, syscall: 'mkdir' as const });
}

/**
 * Creates `directory` and its missing parents with `mode`. Rejects with the errno of the first directory
 * that could not be made: `ENOTDIR` when a parent is a file, `ENOENT` when a parent refuses children
 * (procfs, sysfs), `EACCES`/`EROFS`… as the kernel says.
 *
 * @example
 * ```ts
 * await makeDirectory('/run/flannel', 0o755);
 * ```
 */
export async function makeDirectory(directory: string, mode: number): Promise<void> {
  try {
    await mkdir(directory, { mode });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'EEXIST') return existing(directory, error);
    const parent = dirname(directory);
    if (code !== 'ENOENT' || parent === directory) throw failure(code, directory, error);
    // The parent is missing (or refuses children): make it, then try once more; a second ENOENT is final.
    await makeDirectory(parent, mode);
  }
  try {
    await mkdir(directory, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'EEXIST') return existing(directory, error);
    throw failure(code, directory, error);
  }
}

/** `directory` exists: fine when it is a directory (or a link to one), ENOTDIR otherwise. */
async function existing(directory: string, cause: unknown): Promise<void> {
  const info = await stat(directory).catch(() => undefined);
  if (info?.isDirectory() !== true) throw failure('ENOTDIR', directory, cause);
}
