// The node's WireGuard private key (pkg/backend/wireguard/device.go): read from /run/flannel/wgkey, or
// the file named by WIREGUARD_KEY_FILE; when absent, generated and written as base64 without a newline,
// mode 0400, its directory created 0755. Unlike flannel, an existing file that group or others may
// read or write is refused: it holds the key that decrypts this node's traffic.
import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FlannelError } from '@flannel-ts/core';
import { WireguardSecretKey } from './wireguard-key.js';

/** Where the node's private key comes from. */
export interface WireguardKeyStore {
  /** Loads the private key, creating it when there is none. Rejects `BACKEND_FAILED` naming the file and the rule. */
  loadPrivateKey(): Promise<WireguardSecretKey>;
}

/** flannel's default key file. */
export const DEFAULT_KEY_FILE = '/run/flannel/wgkey';

/** The key file path: `WIREGUARD_KEY_FILE` when set and non-empty, else {@link DEFAULT_KEY_FILE}. */
export function keyFilePath(environment: Readonly<Record<string, string | undefined>> = process.env): string {
  const path = environment.WIREGUARD_KEY_FILE;
  return path === undefined || path === '' ? DEFAULT_KEY_FILE : path;
}

function failure(message: string, cause?: unknown): FlannelError {
  return new FlannelError('BACKEND_FAILED', message, cause === undefined ? {} : { cause });
}

/**
 * The key store over a file.
 *
 * @example
 * ```ts
 * const key = await createFileKeyStore({ path: keyFilePath() }).loadPrivateKey();
 * key.publicKey().toString(); // base64, for the lease
 * ```
 */
export function createFileKeyStore(options: { readonly path: string; readonly generate?: () => WireguardSecretKey }): WireguardKeyStore {
  const { path } = options;
  return {
    async loadPrivateKey() {
      let info;
      try {
        info = await stat(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw failure(`private key file ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`, error);
        const key = (options.generate ?? (() => WireguardSecretKey.generate()))();
        try {
          await mkdir(dirname(path), { recursive: true, mode: 0o755 });
          const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o400);
          try {
            await handle.writeFile(key.revealBase64());
            await handle.chmod(0o400);
          } finally {
            await handle.close();
          }
        } catch (writeError) {
          throw failure(`private key file ${path} cannot be created (${(writeError as NodeJS.ErrnoException).code ?? 'error'})`, undefined);
        }
        return key;
      }
      if (!info.isFile()) throw failure(`private key file ${path} is invalid: must be a regular file`);
      const mode = info.mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw failure(`private key file ${path} has mode 0${mode.toString(8)}: must not be readable or writable by group or others (chmod 0400 ${path})`);
      }
      let text: string;
      try {
        const handle = await open(path, 'r');
        try {
          text = await handle.readFile('utf8');
        } finally {
          await handle.close();
        }
      } catch (error) {
        throw failure(`private key file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const key = WireguardSecretKey.parse(text);
      if (key === undefined) throw failure(`private key file ${path} is invalid: must hold one base64 WireGuard key (32 bytes, as wg genkey writes)`);
      return key;
    },
  };
}
