import { closeSync, openSync } from 'node:fs';
import type { NetnsRef } from '../types.js';
import { CLONE_NEWNET, libc } from './libc.js';
import { NetlinkError } from '../errors.js';

/** The path of a namespace reference (`/run/netns/<name>` for names), or `undefined` for a bare fd. */
export function netnsPath(ref: NetnsRef): string | undefined {
  if ('name' in ref) return `/run/netns/${ref.name}`;
  if ('path' in ref) return ref.path;
  return undefined;
}

/**
 * Opens a namespace reference as a file descriptor the caller must close (`owned`), or hands back a caller's fd.
 * Throws a `NetlinkError` naming the namespace when it does not exist.
 */
export function openNetns(ref: NetnsRef, operation = 'openNetns'): { fd: number; owned: boolean } {
  const path = netnsPath(ref);
  if (path === undefined) return { fd: (ref as { fd: number }).fd, owned: false };
  try {
    return { fd: openSync(path, 'r'), owned: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NetlinkError({
      operation,
      errno: code === 'ENOENT' ? 2 : code === 'EACCES' ? 13 : 22,
      message: `network namespace ${path} cannot be opened: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/**
 * Runs `create` with this thread switched into the namespace `ref`, then switches back, all synchronously (no
 * other JavaScript runs in between, and Node's other threads are unaffected). A socket created inside stays bound
 * to that namespace, so one process can manage many namespaces.
 */
export function inNetns<T>(ref: NetnsRef | undefined, create: () => T, operation = 'openNetns'): T {
  if (ref === undefined) return create();
  const target = openNetns(ref, operation);
  const original = openSync('/proc/thread-self/ns/net', 'r');
  const c = libc();
  try {
    if (c.setns(target.fd, CLONE_NEWNET) !== 0) {
      throw new NetlinkError({ operation, errno: c.errno(), message: `setns into ${netnsPath(ref) ?? `fd ${target.fd}`} failed (errno ${c.errno()})` });
    }
    let result: { value: T } | { error: unknown };
    try {
      result = { value: create() };
    } catch (error) {
      result = { error };
    }
    if (c.setns(original, CLONE_NEWNET) !== 0) {
      // Staying in the wrong namespace would silently misdirect every later operation of this thread.
      throw new NetlinkError({ operation, errno: c.errno(), message: 'setns back to the original network namespace failed' });
    }
    if ('error' in result) throw result.error;
    return result.value;
  } finally {
    closeSync(original);
    if (target.owned) closeSync(target.fd);
  }
}
