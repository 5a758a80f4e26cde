import { open } from 'node:fs/promises';
import { FlannelError, networkConfigToJSON, parseNetworkConfig } from '@flannel-ts/core';
import type { CliIo, TextSource } from '../cli-io.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';
import { redactBackendSecrets } from './redact-secrets.js';

/** Network configs above this size are refused (a real one is a few hundred bytes). */
const MAX_CONFIG_BYTES = 1024 * 1024;

const USAGE = 'Usage: flannel-ts config check [FILE|-]\n  Checks a flannel network config (JSON; "-" or no FILE reads stdin) and prints it resolved\n  (secret backend options such as PSK print as [redacted]).\n';

async function readFileCapped(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be opened (${code ?? String(error)})`;
    throw new FlannelError('CONFIG_INVALID', `network config file ${path} ${reason}`, { cause: error });
  }
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > MAX_CONFIG_BYTES) throw new FlannelError('CONFIG_INVALID', `network config file ${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
    return buffer.subarray(0, filled).toString('utf8');
  } catch (error) {
    if (FlannelError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FlannelError('CONFIG_INVALID', `network config file ${path} cannot be read (${code ?? String(error)})`, { cause: error });
  } finally {
    await handle.close();
  }
}

async function readStdin(stdin: TextSource | undefined): Promise<string> {
  if (stdin === undefined || stdin.isTTY === true) {
    throw new FlannelError('CONFIG_INVALID', 'the network config is read from stdin, but stdin is a terminal: give a FILE');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_CONFIG_BYTES) throw new FlannelError('CONFIG_INVALID', `network config on stdin is larger than ${MAX_CONFIG_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `flannel-ts config check [FILE|-]`: parses the network config with flannel's rules, then runs the
 * daemon's own backend checks (the `Backend.Type` is one this build ships, its options are valid — the
 * same `checkBackendOptions` over the same backend map), and prints it resolved, as JSON with flannel's
 * key names, to stdout (exit 0), secret-like backend options (`PSK`…) as `[redacted]`. Warnings go to stderr. An invalid or missing config prints the error to
 * stderr (exit 1), so a config that passes is one the daemon accepts.
 */
export async function configCheck(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h') || args.includes('-help')) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (args.length > 1 || (args[0] !== undefined && args[0] !== '-' && args[0].startsWith('-'))) {
    io.stderr.write(`flannel-ts: config check: unexpected argument ${JSON.stringify(args[args.length > 1 ? 1 : 0])}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const path = args[0] ?? '-';
  try {
    const text = path === '-' ? await readStdin(io.stdin) : await readFileCapped(path);
    const { config, warnings } = parseNetworkConfig(text);
    // The backend's own options (vxlan VNI, wireguard PSK and Mode, extension commands…), checked as the
    // daemon checks them before creating anything. Loaded here, not at start-up: the backend map brings the
    // backends' option parsers with it.
    const { checkBackendOptions, FLANNELD_BACKENDS } = await import('@flannel-ts/agent');
    checkBackendOptions(config, { backends: FLANNELD_BACKENDS });
    const source = path === '-' ? 'stdin' : path;
    for (const warning of warnings) io.stderr.write(`flannel-ts: warning: ${source}: ${warning}\n`);
    // Secrets (wireguard's PSK…) are checked above but never printed: the output is meant for terminals and logs.
    io.stdout.write(`${JSON.stringify(redactBackendSecrets(networkConfigToJSON(config)), null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const prefix = path === '-' || message.includes(path) ? '' : `${path}: `;
    io.stderr.write(`flannel-ts: config check: ${prefix}${message}\n`);
    return EXIT_FAILURE;
  }
}
