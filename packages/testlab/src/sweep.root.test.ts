import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, execCommand, findLeftovers, isRoot, LabProcess, rootSkipReason, sweepLeftovers, type Leftovers, type RunState, waitFor } from './index.js';
import { newRunId } from './names.js';
import { namespacePids } from './sweep.js';

const nothingLeft: Leftovers = { namespaces: [], links: [], processes: [], tempDirs: [], stateFile: undefined };

describe.skipIf(!isRoot())(`crashes and sweepLeftovers ${rootSkipReason() ?? ''}`, () => {
  let bundleDir = '';
  let victim = '';

  beforeAll(async () => {
    // A lab owned by another process, so it can be crashed for real: bundle the fixture into plain JS.
    bundleDir = mkdtempSync(join(tmpdir(), 'testlab-crash-'));
    victim = join(bundleDir, 'crash-lab.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('__fixtures__/crash-lab.ts', import.meta.url))],
      outfile: victim,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
  });

  afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

  async function startVictim(): Promise<{ owner: LabProcess; runId: string }> {
    const owner = new LabProcess(spawn(process.execPath, [victim], { stdio: ['ignore', 'pipe', 'pipe'] }), 'crash-lab');
    const [line] = await owner.waitForOutput(/\{"runId".*\}/, { timeoutMs: 20_000 });
    const { runId } = JSON.parse(line) as { runId: string };
    const left = await findLeftovers(runId);
    expect(left.namespaces).toHaveLength(3);
    expect(left.processes.length).toBeGreaterThan(0);
    return { owner, runId };
  }

  it('cleans up synchronously when the owning process is terminated', async () => {
    const { owner, runId } = await startVictim();
    owner.kill('SIGTERM');
    expect((await owner.waitForExit()).signal).toBe('SIGTERM');
    expect(await findLeftovers(runId)).toEqual(nothingLeft);
  });

  it('removes a lab whose owner was killed outright', async () => {
    const { owner, runId } = await startVictim();
    const state = JSON.parse(readFileSync((await findLeftovers(runId)).stateFile!, 'utf8')) as RunState;
    owner.kill('SIGKILL');
    await owner.waitForExit();
    const leaked = await findLeftovers(runId);
    expect(leaked.namespaces).toHaveLength(3);
    expect(leaked.links).toEqual([`${runId}-r`]);

    const report = await sweepLeftovers();
    expect(report.runs).toContain(runId);
    expect(report.namespaces).toEqual(expect.arrayContaining(state.namespaces));
    expect(await findLeftovers(runId)).toEqual(nothingLeft);
  });

  it('removes marked namespaces that no state file claims, and leaves live labs alone', async () => {
    await using live = await createLab({ hosts: 1 });
    const orphan = `${newRunId()}-h1`;
    await execCommand('ip', ['netns', 'add', orphan], { check: true });
    const sleeper = spawn('ip', ['netns', 'exec', orphan, 'sleep', '300'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => sleeper.once('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => namespacePids(orphan).includes(sleeper.pid!), { description: 'sleep to enter the orphan namespace' });

    const report = await sweepLeftovers();
    expect(report.namespaces).toContain(orphan);
    expect(await exited).toBe('SIGKILL');
    expect((await findLeftovers(orphan.slice(0, 6))).namespaces).toEqual([]);
    expect((await findLeftovers(live.runId)).namespaces).toHaveLength(2);
    expect((await live.host('h1').exec('true')).code).toBe(0);
  });

  it('reports without removing on a dry run', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'testlab-state-'));
    try {
      const dead: RunState = {
        runId: newRunId(),
        owner: { pid: process.pid, startTime: '0', what: 'owner' },
        createdAt: new Date().toISOString(),
        namespaces: [],
        links: [],
        processes: [],
        tempDirs: [],
      };
      writeFileSync(join(directory, `${dead.runId}.json`), JSON.stringify(dead));
      const report = await sweepLeftovers({ stateDir: directory, dryRun: true });
      expect(report.runs).toEqual([dead.runId]);
      expect(readFileSync(join(directory, `${dead.runId}.json`), 'utf8')).toContain(dead.runId);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
