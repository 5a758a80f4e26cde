// A recording fake delegate plugin: a shell script named like the real one (`bridge`) in a temporary
// CNI_PATH directory. It records each call's CNI_COMMAND and stdin, and answers with a fixed stdout and
// exit status, so tests see exactly what flannel's plugin sends and how it treats the answer.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the fake answers. */
export interface FakeDelegateOptions {
  /** The plugin's name (the delegate `type`); default `bridge`. */
  readonly name?: string;
  /** What it prints on stdout for ADD (default: a 0.3.1 bridge result). */
  readonly addStdout?: string;
  /** What it prints on stdout for DEL (default nothing). */
  readonly delStdout?: string;
  /** What it prints on stderr. */
  readonly stderr?: string;
  /** Exit status for ADD / DEL (default 0). */
  readonly addExit?: number;
  readonly delExit?: number;
}

/** One recorded call. */
export interface FakeDelegateCall {
  readonly command: string;
  readonly stdin: string;
  readonly containerId: string;
}

/** A fake delegate installed in its own directory. */
export interface FakeDelegate {
  /** The directory to put in CNI_PATH. */
  readonly directory: string;
  /** Calls so far, in order. */
  calls(): FakeDelegateCall[];
  /** Removes the directory. */
  remove(): void;
}

/** The result bridge v1.x + host-local print for one IPv4 pod with conf cniVersion 0.3.1. */
export const BRIDGE_RESULT_031 = JSON.stringify({
  cniVersion: '0.3.1',
  interfaces: [
    { name: 'cni0', mac: 'aa:bb:cc:00:00:01' },
    { name: 'veth1a2b3c4d', mac: 'aa:bb:cc:00:00:02' },
    { name: 'eth0', mac: 'aa:bb:cc:00:00:03', sandbox: '/var/run/netns/pod' },
  ],
  ips: [{ version: '4', interface: 2, address: '10.1.17.2/24', gateway: '10.1.17.1' }],
  routes: [{ dst: '10.1.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.1.17.1' }],
  dns: {},
});

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Writes the fake into a new temporary directory.
 *
 * @example
 * ```ts
 * const bridge = createFakeDelegate();
 * // run the plugin with CNI_PATH=bridge.directory, then:
 * expect(bridge.calls()[0]?.command).toBe('ADD');
 * bridge.remove();
 * ```
 */
export function createFakeDelegate(options: FakeDelegateOptions = {}): FakeDelegate {
  const directory = mkdtempSync(join(tmpdir(), 'flannel-ts-fake-delegate-'));
  const name = options.name ?? 'bridge';
  const script = [
    '#!/bin/sh',
    `dir=${quote(directory)}`,
    'n=$(ls "$dir" | grep -c "^call-" )',
    'f="$dir/call-$(printf %04d "$n")"',
    'cat > "$f.stdin"',
    'printf "%s\\n%s" "$CNI_COMMAND" "$CNI_CONTAINERID" > "$f.meta"',
    options.stderr === undefined ? '' : `printf %s ${quote(options.stderr)} >&2`,
    'if [ "$CNI_COMMAND" = ADD ]; then',
    `  printf %s ${quote(options.addStdout ?? BRIDGE_RESULT_031)}; exit ${options.addExit ?? 0}`,
    'fi',
    `printf %s ${quote(options.delStdout ?? '')}; exit ${options.delExit ?? 0}`,
    '',
  ].join('\n');
  writeFileSync(join(directory, name), script);
  chmodSync(join(directory, name), 0o755);
  return {
    directory,
    calls() {
      if (!existsSync(directory)) return [];
      return readdirSync(directory)
        .filter((file) => file.endsWith('.meta'))
        .sort()
        .map((file) => {
          const [command = '', containerId = ''] = readFileSync(join(directory, file), 'utf8').split('\n');
          return { command, containerId, stdin: readFileSync(join(directory, file.replace(/\.meta$/, '.stdin')), 'utf8') };
        });
    },
    remove() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
