// Linux errno numbers as the kernel puts them (negated) into `struct nlmsgerr.error`. The numbers are
// those of asm-generic (x86, x86-64, arm, arm64, riscv, s390, ppc); alpha, mips, parisc and sparc number
// some of them differently and are not supported by this table.

/** Names of the Linux errno values this package knows, with their `strerror` text. */
const ERRNO_TABLE: ReadonlyArray<readonly [number, string, string]> = [
  [1, 'EPERM', 'Operation not permitted'],
  [2, 'ENOENT', 'No such file or directory'],
  [3, 'ESRCH', 'No such process'],
  [4, 'EINTR', 'Interrupted system call'],
  [5, 'EIO', 'Input/output error'],
  [6, 'ENXIO', 'No such device or address'],
  [7, 'E2BIG', 'Argument list too long'],
  [9, 'EBADF', 'Bad file descriptor'],
  [11, 'EAGAIN', 'Resource temporarily unavailable'],
  [12, 'ENOMEM', 'Cannot allocate memory'],
  [13, 'EACCES', 'Permission denied'],
  [14, 'EFAULT', 'Bad address'],
  [16, 'EBUSY', 'Device or resource busy'],
  [17, 'EEXIST', 'File exists'],
  [18, 'EXDEV', 'Invalid cross-device link'],
  [19, 'ENODEV', 'No such device'],
  [20, 'ENOTDIR', 'Not a directory'],
  [22, 'EINVAL', 'Invalid argument'],
  [23, 'ENFILE', 'Too many open files in system'],
  [24, 'EMFILE', 'Too many open files'],
  [28, 'ENOSPC', 'No space left on device'],
  [31, 'EMLINK', 'Too many links'],
  [32, 'EPIPE', 'Broken pipe'],
  [34, 'ERANGE', 'Numerical result out of range'],
  [36, 'ENAMETOOLONG', 'File name too long'],
  [38, 'ENOSYS', 'Function not implemented'],
  [39, 'ENOTEMPTY', 'Directory not empty'],
  [40, 'ELOOP', 'Too many levels of symbolic links'],
  [42, 'ENOMSG', 'No message of desired type'],
  [61, 'ENODATA', 'No data available'],
  [71, 'EPROTO', 'Protocol error'],
  [74, 'EBADMSG', 'Bad message'],
  [75, 'EOVERFLOW', 'Value too large for defined data type'],
  [88, 'ENOTSOCK', 'Socket operation on non-socket'],
  [90, 'EMSGSIZE', 'Message too long'],
  [92, 'ENOPROTOOPT', 'Protocol not available'],
  [93, 'EPROTONOSUPPORT', 'Protocol not supported'],
  [95, 'EOPNOTSUPP', 'Operation not supported'],
  [97, 'EAFNOSUPPORT', 'Address family not supported by protocol'],
  [98, 'EADDRINUSE', 'Address already in use'],
  [99, 'EADDRNOTAVAIL', 'Cannot assign requested address'],
  [100, 'ENETDOWN', 'Network is down'],
  [101, 'ENETUNREACH', 'Network is unreachable'],
  [103, 'ECONNABORTED', 'Software caused connection abort'],
  [104, 'ECONNRESET', 'Connection reset by peer'],
  [105, 'ENOBUFS', 'No buffer space available'],
  [107, 'ENOTCONN', 'Transport endpoint is not connected'],
  [108, 'ESHUTDOWN', 'Cannot send after transport endpoint shutdown'],
  [110, 'ETIMEDOUT', 'Connection timed out'],
  [111, 'ECONNREFUSED', 'Connection refused'],
  [112, 'EHOSTDOWN', 'Host is down'],
  [113, 'EHOSTUNREACH', 'No route to host'],
  [114, 'EALREADY', 'Operation already in progress'],
  [115, 'EINPROGRESS', 'Operation now in progress'],
  [125, 'ECANCELED', 'Operation canceled'],
  // Kernel-internal, yet it leaks out of some rtnetlink paths (`ip` prints "Unknown error 524").
  [524, 'ENOTSUPP', 'Operation is not supported (kernel-internal ENOTSUPP)'],
];

/** The errno names {@link errnoNumber} accepts. */
export type ErrnoName =
  | 'EPERM' | 'ENOENT' | 'ESRCH' | 'EINTR' | 'EIO' | 'ENXIO' | 'E2BIG' | 'EBADF' | 'EAGAIN' | 'ENOMEM'
  | 'EACCES' | 'EFAULT' | 'EBUSY' | 'EEXIST' | 'EXDEV' | 'ENODEV' | 'ENOTDIR' | 'EINVAL' | 'ENFILE'
  | 'EMFILE' | 'ENOSPC' | 'EMLINK' | 'EPIPE' | 'ERANGE' | 'ENAMETOOLONG' | 'ENOSYS' | 'ENOTEMPTY'
  | 'ELOOP' | 'ENOMSG' | 'ENODATA' | 'EPROTO' | 'EBADMSG' | 'EOVERFLOW' | 'ENOTSOCK' | 'EMSGSIZE'
  | 'ENOPROTOOPT' | 'EPROTONOSUPPORT' | 'EOPNOTSUPP' | 'EAFNOSUPPORT' | 'EADDRINUSE' | 'EADDRNOTAVAIL'
  | 'ENETDOWN' | 'ENETUNREACH' | 'ECONNABORTED' | 'ECONNRESET' | 'ENOBUFS' | 'ENOTCONN' | 'ESHUTDOWN'
  | 'ETIMEDOUT' | 'ECONNREFUSED' | 'EHOSTDOWN' | 'EHOSTUNREACH' | 'EALREADY' | 'EINPROGRESS'
  | 'ECANCELED' | 'ENOTSUPP';

const NAME_BY_NUMBER = new Map<number, string>(ERRNO_TABLE.map(([n, name]) => [n, name]));
const TEXT_BY_NUMBER = new Map<number, string>(ERRNO_TABLE.map(([n, , text]) => [n, text]));
const NUMBER_BY_NAME = new Map<string, number>(ERRNO_TABLE.map(([n, name]) => [name, n]));

/**
 * The symbolic name of a Linux errno. Accepts the kernel's negative form too (`-17` → `EEXIST`).
 * Unknown numbers give `ERRNO_<n>`, so a name is always available for messages and matching.
 *
 * @example
 * ```ts
 * errnoName(17);  // 'EEXIST'
 * errnoName(-19); // 'ENODEV'
 * errnoName(999); // 'ERRNO_999'
 * ```
 */
export function errnoName(errno: number): string {
  const n = Math.abs(errno);
  return NAME_BY_NUMBER.get(n) ?? `ERRNO_${n}`;
}

/**
 * The `strerror` text of a Linux errno (`17` → `File exists`), or `Unknown error <n>` like glibc.
 *
 * @example
 * ```ts
 * errnoDescription(-101); // 'Network is unreachable'
 * ```
 */
export function errnoDescription(errno: number): string {
  const n = Math.abs(errno);
  return TEXT_BY_NUMBER.get(n) ?? `Unknown error ${n}`;
}

/**
 * The positive Linux errno number of a name (`'EEXIST'` → 17).
 *
 * @example
 * ```ts
 * if (error.errno === errnoNumber('EEXIST')) { … }
 * ```
 */
export function errnoNumber(name: ErrnoName): number {
  const n = NUMBER_BY_NAME.get(name);
  if (n === undefined) throw new RangeError(`unknown errno name ${JSON.stringify(name)}`);
  return n;
}
