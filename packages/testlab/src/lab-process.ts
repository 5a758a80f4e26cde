import { setTimeout as delay } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { TestlabError } from './errors.js';

/** How a {@link LabProcess} ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const TAIL_LIMIT = 256 * 1024;

function appendTail(current: string, chunk: string): string {
  const next = current + chunk;
  return next.length > TAIL_LIMIT ? next.slice(next.length - TAIL_LIMIT) : next;
}

/**
 * A process started inside a lab host. Wraps the `ChildProcess` (still reachable as `child`, with its
 * `stdout`/`stderr` streams) and keeps the last 256 KiB of its output, so tests can wait for a "ready" line
 * instead of sleeping. The lab stops it on close.
 */
export class LabProcess {
  /** The underlying Node child process (`ip netns exec …`, which execs the command: same pid). */
  readonly child: ChildProcess;
  /** What was started, for messages. */
  readonly description: string;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  #stdout = '';
  #stderr = '';
  #exit: ProcessExit | undefined;

  constructor(child: ChildProcess, description: string) {
    this.child = child;
    this.description = description;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout = appendTail(this.#stdout, chunk)));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr = appendTail(this.#stderr, chunk)));
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.#stderr = appendTail(this.#stderr, `spawn error: ${error.message}\n`);
        this.#exit ??= { code: null, signal: null };
        resolve(this.#exit);
      });
      child.once('close', (code, signal) => {
        this.#exit ??= { code, signal };
        resolve(this.#exit);
      });
    });
  }

  /** The process id, if it started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How it ended, or `undefined` while it runs. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** The output so far (the last 256 KiB). */
  get stdout(): string {
    return this.#stdout;
  }

  /** The error output so far (the last 256 KiB). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Sends a signal (default SIGTERM); a no-op once it has exited. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.#exit === undefined && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill(signal);
    }
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs` (default 2 000); resolves when it is gone. */
  async stop(graceMs = 2_000): Promise<ProcessExit> {
    if (this.#exit) return this.#exit;
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Waits until stdout or stderr matches `pattern`, failing early if the process exits first.
   *
   * @example
   * ```ts
   * const daemon = h1.spawnNode(script);
   * await daemon.waitForOutput(/listening/);
   * ```
   */
  async waitForOutput(pattern: RegExp, options: { timeoutMs?: number } = {}): Promise<RegExpMatchArray> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.#stdout.match(pattern) ?? this.#stderr.match(pattern);
      if (match) return match;
      if (this.#exit) {
        throw new TestlabError('COMMAND_FAILED', `${this.description} exited (${JSON.stringify(this.#exit)}) before printing ${pattern}`, {
          detail: this.#stderr.slice(-4_000),
        });
      }
      if (Date.now() > deadline) {
        throw new TestlabError('TIMEOUT', `${this.description} did not print ${pattern} within ${timeoutMs} ms`, {
          detail: this.#stderr.slice(-4_000),
        });
      }
      await delay(50);
    }
  }

  /** Resolves once the process has exited, or throws `TIMEOUT`. */
  async waitForExit(timeoutMs = 10_000): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const exit = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (!exit) throw new TestlabError('TIMEOUT', `${this.description} did not exit within ${timeoutMs} ms`, { detail: this.#stderr.slice(-4_000) });
    return exit;
  }
}
