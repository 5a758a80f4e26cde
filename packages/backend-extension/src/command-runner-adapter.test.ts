import { describe, expect, it } from 'vitest';
import { runCommandFrom } from './command-runner-adapter.js';
import type { CommandRunnerLike } from './command-runner-adapter.js';

describe('runCommandFrom', () => {
  it('passes program, args, env and stdin, and joins the output', async () => {
    const seen: unknown[] = [];
    const runner: CommandRunnerLike = {
      run: async (request) => {
        seen.push({ command: request.command, args: request.args, env: request.env, stdin: request.stdin });
        return { exitCode: 3, stdout: 'out ', stderr: 'err' };
      },
    };
    const outcome = await runCommandFrom(runner)({ argv: ['/add.sh', '10.5.1.0/24'], env: { SUBNET: '10.5.1.0/24' }, stdin: 'data\n', timeoutMs: 1_000 });
    expect(seen).toEqual([{ command: '/add.sh', args: ['10.5.1.0/24'], env: { SUBNET: '10.5.1.0/24' }, stdin: 'data\n' }]);
    expect(outcome).toEqual({ kind: 'exited', exitCode: 3, signal: null, output: new TextEncoder().encode('out err') });
  });

  it('turns the time limit into an abort and reports it as timed out', async () => {
    const runner: CommandRunnerLike = {
      run: (request) =>
        new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ABORTED' })), { once: true })),
    };
    expect((await runCommandFrom(runner)({ argv: ['sleep'], env: {}, stdin: '\n', timeoutMs: 20 })).kind).toBe('timed-out');
  });

  it('reports a program that could not start with its code', async () => {
    const runner: CommandRunnerLike = { run: async () => Promise.reject(Object.assign(new Error('spawn /nope ENOENT'), { code: 'ENOENT' })) };
    expect(await runCommandFrom(runner)({ argv: ['/nope'], env: {}, stdin: '\n', timeoutMs: 1_000 })).toEqual({ kind: 'not-started', code: 'ENOENT', message: 'spawn /nope ENOENT' });
  });
});
