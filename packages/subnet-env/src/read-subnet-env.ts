import { open } from 'node:fs/promises';
import { parsePreviousSubnetEnv } from './parse-previous-subnet-env.js';
import type { PreviousSubnetEnv } from './parse-previous-subnet-env.js';
import { parseSubnetEnv } from './parse-subnet-env.js';
import type { SubnetEnv } from './parse-subnet-env.js';
import { SubnetEnvError } from './subnet-env-error.js';

/** Options of the file readers. */
export interface ReadSubnetEnvOptions {
  /** Refuse files larger than this many bytes (default 64 KiB; a real subnet.env is ~150 bytes). */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024;

/**
 * Reads a text file of at most `maxBytes` bytes without ever loading more than that into memory.
 * Throws `SubnetEnvError`: `SUBNET_ENV_NOT_FOUND`, `SUBNET_ENV_TOO_LARGE` or `SUBNET_ENV_READ_FAILED`.
 */
export async function readSmallTextFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SubnetEnvError('SUBNET_ENV_NOT_FOUND', `${path} does not exist`, { path, cause: error });
    throw new SubnetEnvError('SUBNET_ENV_READ_FAILED', `could not open ${path}: ${code ?? String(error)}`, { path, cause: error });
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) {
      throw new SubnetEnvError('SUBNET_ENV_TOO_LARGE', `${path} is larger than ${maxBytes} bytes: not a subnet.env file`, { path });
    }
    return buffer.subarray(0, filled).toString('utf8');
  } catch (error) {
    if (SubnetEnvError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SubnetEnvError('SUBNET_ENV_READ_FAILED', `could not read ${path}: ${code ?? String(error)}`, { path, cause: error });
  } finally {
    await handle.close();
  }
}

/**
 * Reads and parses subnet.env with the CNI plugin's strict rules (see {@link parseSubnetEnv}).
 *
 * @example
 * ```ts
 * const env = await readSubnetEnv('/run/flannel/subnet.env');
 * console.log(env.subnet, env.mtu);
 * ```
 */
export async function readSubnetEnv(path: string, options: ReadSubnetEnvOptions = {}): Promise<SubnetEnv> {
  return parseSubnetEnv(await readSmallTextFile(path, options.maxBytes), path);
}

/**
 * Reads the previous run's subnet.env with flanneld's tolerant rules (see {@link parsePreviousSubnetEnv}).
 * Never throws: a missing file gives an empty result, any other problem an empty result with a warning.
 *
 * @example
 * ```ts
 * const previous = await readPreviousSubnetEnv('/run/flannel/subnet.env');
 * for (const warning of previous.warnings) logger.warn(warning);
 * ```
 */
export async function readPreviousSubnetEnv(path: string, options: ReadSubnetEnvOptions = {}): Promise<PreviousSubnetEnv> {
  let text: string;
  try {
    text = await readSmallTextFile(path, options.maxBytes);
  } catch (error) {
    if (SubnetEnvError.isInstance(error) && error.code === 'SUBNET_ENV_NOT_FOUND') return Object.freeze({ warnings: [] });
    const message = error instanceof Error ? error.message : String(error);
    return Object.freeze({ warnings: Object.freeze([`ignoring previous ${path}: ${message}`]) });
  }
  return parsePreviousSubnetEnv(text, path);
}
