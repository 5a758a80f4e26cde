// Finds the C library by the names the two Linux libcs give it. glibc's is `libc.so.6`; musl (Alpine, the
// usual base of DaemonSet images) has no such file, only `libc.musl-<arch>.so.1` (a link to its loader,
// `ld-musl-<arch>.so.1`). Which libc the running Node was built against decides the order tried, so a glibc
// system never probes musl names and the other way round.
import { NetlinkError } from '../errors.js';

/** Node's `process.arch` → musl's architecture suffix (`/lib/ld-musl-<suffix>.so.1`). */
const MUSL_ARCH: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armhf',
  ia32: 'i386',
  ppc64: 'powerpc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
};

/** What {@link libcCandidates} looks at: the process's architecture and whether Node runs on glibc. */
export interface LibcPlatform {
  /** `process.arch`. */
  readonly arch: string;
  /** glibc's version when Node runs on glibc (`process.report` header `glibcVersionRuntime`), else `undefined` (musl). */
  readonly glibcVersion: string | undefined;
}

/**
 * The running process's {@link LibcPlatform}. The report is taken without its network section
 * (`process.report.excludeNetwork`, Node ≥ 20.13): with it, Node resolves the peer of every open socket by
 * reverse DNS on the main thread, which blocked the daemon 20 s (2 × 5 s per socket) in a namespace whose DNS
 * server does not answer — as on a node whose cluster DNS is not up yet.
 */
export function currentLibcPlatform(): LibcPlatform {
  const report = process.report as (NodeJS.ProcessReport & { excludeNetwork?: boolean }) | undefined;
  const excluded = report?.excludeNetwork;
  if (report !== undefined) report.excludeNetwork = true;
  try {
    const header = (report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    return { arch: process.arch, glibcVersion: header?.glibcVersionRuntime };
  } finally {
    if (report !== undefined) report.excludeNetwork = excluded ?? false;
  }
}

/**
 * The file names to try for the C library, most likely first: glibc's `libc.so.6` on glibc, musl's
 * `libc.musl-<arch>.so.1` and `ld-musl-<arch>.so.1` on musl, the other family's names after.
 *
 * @example
 * ```ts
 * libcCandidates({ arch: 'x64', glibcVersion: undefined }); // ['libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1', 'libc.so.6']
 * ```
 */
export function libcCandidates(platform: LibcPlatform = currentLibcPlatform()): string[] {
  const arch = MUSL_ARCH[platform.arch] ?? platform.arch;
  const musl = [`libc.musl-${arch}.so.1`, `ld-musl-${arch}.so.1`];
  return platform.glibcVersion === undefined ? [...musl, 'libc.so.6'] : ['libc.so.6', ...musl];
}

/**
 * Loads the C library with `load` (koffi's `load`), trying {@link libcCandidates} in order. Throws a
 * `NetlinkError` (ELIBACC) naming every name tried when none loads.
 *
 * @example
 * ```ts
 * const lib = loadLibc((name) => koffi.load(name));
 * const close = lib.func('int close(int)');
 * ```
 */
export function loadLibc<Library>(load: (name: string) => Library, platform: LibcPlatform = currentLibcPlatform()): Library {
  const tried: string[] = [];
  for (const name of libcCandidates(platform)) {
    try {
      return load(name);
    } catch (error) {
      tried.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // ELIBACC (79): "Can not access a needed shared library".
  throw new NetlinkError({ operation: 'open', errno: 79, message: `cannot load the C library (tried ${tried.join('; ')})` });
}
