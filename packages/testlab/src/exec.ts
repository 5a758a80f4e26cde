import { execFile, execFileSync } from 'node:child_process';
import { TestlabError } from './errors.js';

/** What a finished command left behind. `code` is the exit status (128 + n when killed by signal n). */
export interface ExecResult {
  /** Everything the command wrote to stdout. */
  stdout: string;
  /** Everything the command wrote to stderr. */
  stderr: string;
  /** Exit status. */
  code: number;
}

/** Options for {@link execCommand}. */
export interface ExecOptions {
  /** Extra environment, merged over this process's. */
  env?: Record<string, string | undefined>;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Kill the command (SIGKILL) after this long and throw `TIMEOUT` (default 30 000 ms). */
  timeoutMs?: number;
  /** Throw `COMMAND_FAILED` on a non-zero exit instead of returning it (default false). */
  check?: boolean;
  /** Working directory. */
  cwd?: string;
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

function describeCommand(file: string, args: readonly string[]): string {
  return [file, ...args].join(' ');
}

/**
 * Runs a program without a shell (`execFile`) and collects its output.
 *
 * @example
 * ```ts
 * const { stdout } = await execCommand('ip', ['-j', 'link', 'show'], { check: true });
 * ```
 */
export function execCommand(file: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr, code: 0 });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: NodeJS.Signals | null };
        if (failure.code === 'ENOENT') {
          return reject(new TestlabError('COMMAND_NOT_FOUND', `${file} is not installed (or not on PATH)`, { cause: error }));
        }
        if (failure.killed && failure.signal === 'SIGKILL' && typeof failure.code !== 'number') {
          return reject(
            new TestlabError('TIMEOUT', `${describeCommand(file, args)} did not finish within ${timeoutMs} ms`, {
              cause: error,
              detail: stderr,
            }),
          );
        }
        const code = typeof failure.code === 'number' ? failure.code : 128 + (signalNumbers[failure.signal ?? ''] ?? 0);
        const result = { stdout, stderr, code };
        if (options.check) return reject(commandFailed(file, args, result));
        resolve(result);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** The `COMMAND_FAILED` error for a command that exited non-zero. */
export function commandFailed(file: string, args: readonly string[], result: ExecResult): TestlabError {
  return new TestlabError('COMMAND_FAILED', `${describeCommand(file, args)} exited with ${result.code}`, {
    detail: result.stderr || result.stdout,
  });
}

/**
 * Synchronous twin of {@link execCommand}, for cleanup in `exit` and signal handlers where nothing asynchronous
 * runs any more. Never throws: a missing program or failure is reported in the result.
 */
export function execCommandSync(file: string, args: readonly string[], timeoutMs = 10_000): ExecResult {
  try {
    const stdout = execFileSync(file, args, {
      encoding: 'utf8',
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { stdout, stderr: '', code: 0 };
  } catch (error) {
    const failure = error as { status?: number | null; stdout?: string; stderr?: string; message?: string };
    return {
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? failure.message ?? '',
      code: failure.status ?? 1,
    };
  }
}
