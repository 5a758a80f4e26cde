// Node's file system errors worded as Go's `*fs.PathError` (`open /run/flannel/subnet.env: no such file
// or directory`), because flannel's messages embed them and users search for them.

const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'file exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EIO: 'input/output error',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ETXTBSY: 'text file busy',
  ENOEXEC: 'exec format error',
};

/** The errno code of a Node error (`ENOENT`), if any. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Go's `<op> <path>: <strerror>` for a Node file system error. */
export function goPathError(op: string, path: string, error: unknown): Error {
  const code = errnoCode(error);
  const reason = code === undefined ? String((error as Error)?.message ?? error) : (STRERROR[code] ?? code.toLowerCase());
  return new Error(`${op} ${path}: ${reason}`, { cause: error });
}
