// The real runner against small recording scripts: no shell, argv and env as given, stdin written,
// stdout+stderr combined, time limit, missing programs.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runExtensionCommand } from './extension-command.js';
import { spawnCommand } from './run-command.js';

const RECORD = fileURLToPath(new URL('./__fixtures__/record.sh', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ft-ext-'));
  dirs.push(dir);
  return dir;
}

function recorded(dir: string, suffix: string): string {
  const file = readdirSync(dir).find((name) => name.endsWith(suffix));
  if (file === undefined) throw new Error(`no ${suffix} recorded in ${dir}`);
  return readFileSync(join(dir, file), 'utf8');
}

const context = (environment: Record<string, string | undefined>, timeoutMs = 10_000) => ({ runCommand: spawnCommand, environment, timeoutMs });

describe('spawnCommand with runExtensionCommand', () => {
  it('runs the program without a shell: expanded argv, env, stdin + "\\n", combined trimmed output', async () => {
    const dir = recordDir();
    const result = await runExtensionCommand(
      { key: 'SubnetAddCommand', command: `${RECORD} $SUBNET "quoted" && \${PUBLIC_IP} $UNSET;`, variables: { SUBNET: '10.5.9.0/24', PUBLIC_IP: '192.168.1.9' }, stdin: 'peer data' },
      context({ PATH: process.env.PATH, RECORD_DIR: dir }),
    );
    expect(recorded(dir, '.argv')).toBe('10.5.9.0/24\n"quoted"\n&&\n192.168.1.9\n;\n');
    expect(recorded(dir, '.env')).toBe('SUBNET=10.5.9.0/24\nPUBLIC_IP=192.168.1.9\nNETWORK=\n');
    expect(recorded(dir, '.stdin')).toBe('peer data\n');
    // One file for stdout and stderr: the order is the order of the writes, as with Go's single pipe.
    expect(result.output).toBe('to stdout\nto stderr');
  });

  it('reports a non-zero exit with the output', async () => {
    const dir = recordDir();
    await expect(
      runExtensionCommand({ key: 'SubnetAddCommand', command: RECORD, variables: { EXIT_WITH: '4' }, stdin: '' }, context({ PATH: process.env.PATH, RECORD_DIR: dir })),
    ).rejects.toThrow(/SubnetAddCommand ".*record\.sh" exited with status 4; output: "to stdout\\nto stderr"/);
  });

  it('reports a program that does not exist', async () => {
    await expect(runExtensionCommand({ key: 'PreStartupCommand', command: '/nonexistent/pre.sh a', variables: {}, stdin: '' }, context({}))).rejects.toThrow(
      'PreStartupCommand "/nonexistent/pre.sh a" could not be started: "/nonexistent/pre.sh" was not found (ENOENT)',
    );
  });

  it('looks a bare program name up in PATH', async () => {
    const result = await runExtensionCommand({ key: 'PreStartupCommand', command: 'echo $X', variables: { X: 'hello <world>' }, stdin: '' }, context({ PATH: process.env.PATH }));
    expect(result.output).toBe('hello <world>');
  });

  it('kills a command that hangs past its time limit and says so', async () => {
    const started = Date.now();
    await expect(runExtensionCommand({ key: 'SubnetAddCommand', command: 'sleep 30', variables: {}, stdin: '' }, context({ PATH: process.env.PATH }, 300))).rejects.toThrow(
      'SubnetAddCommand "sleep 30" did not finish within 300 ms and was killed',
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('kills a running command when the signal aborts', async () => {
    const controller = new AbortController();
    const running = runExtensionCommand({ key: 'SubnetAddCommand', command: 'sleep 30', variables: {}, stdin: '' }, { ...context({ PATH: process.env.PATH }), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
