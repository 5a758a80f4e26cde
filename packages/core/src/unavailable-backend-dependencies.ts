import type { BackendDependencies } from './backend-dependencies.js';
import { FlannelError } from './errors.js';

/**
 * A complete set of the non-kernel backend boundaries where every call rejects with
 * `BACKEND_UNSUPPORTED` naming the boundary: the daemon's default until a build ships the real one,
 * so a backend that needs a boundary its build lacks fails with a clear message at `registerNetwork`.
 *
 * @example
 * ```ts
 * const dependencies = { ...unavailableBackendDependencies(), commands: processCommandRunner, logger, netlink };
 * ```
 */
export function unavailableBackendDependencies(): Omit<BackendDependencies, 'logger'> {
  const refuse = (what: string) => async (): Promise<never> => {
    throw new FlannelError('BACKEND_UNSUPPORTED', `this build of flannel-ts has no ${what}`);
  };
  return {
    commands: { run: refuse('command runner (needed by the extension backend)') },
    tun: { open: refuse('TUN device support (needed by the udp backend)') },
    http: { request: refuse('HTTP client (needed by cloud backends)') },
    credentials: { get: refuse('cloud credential source (needed by cloud backends)') },
    keys: { load: refuse('key store (needed by the wireguard backend)'), save: refuse('key store (needed by the wireguard backend)') },
  };
}
