import { TestlabError } from './errors.js';

/**
 * Whether this process runs as root (uid 0), which the lab needs to create namespaces and links.
 *
 * @example
 * ```ts
 * describe.skipIf(!isRoot())('vxlan (needs root)', () => { … });
 * ```
 */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Why root-only tests are skipped here, or `undefined` when they can run. Put it in a test title so the skip
 * is visible in the report.
 *
 * @example
 * ```ts
 * describe.skipIf(!isRoot())(`lab ${rootSkipReason() ?? ''}`, () => { … });
 * ```
 */
export function rootSkipReason(): string | undefined {
  return isRoot() ? undefined : '(skipped: needs root to create network namespaces)';
}

/**
 * Throws a `NOT_ROOT` {@link TestlabError} unless this process is root.
 *
 * @param what - what needs root, for the message (default "the testlab").
 */
export function requireRoot(what = 'the testlab'): void {
  if (!isRoot()) {
    throw new TestlabError(
      'NOT_ROOT',
      `${what} needs root: it creates network namespaces, veth pairs and a bridge (run the tests as root)`,
    );
  }
}
