import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execCommandSync } from './exec.js';
import { runIdOf, TEMP_DIR_PREFIX } from './names.js';
import { defaultStateDir, isProcessAlive, readRunStates, type RunState } from './run-record.js';

/** Options for {@link sweepLeftovers}. */
export interface SweepOptions {
  /** Where run states live (default {@link defaultStateDir}). */
  stateDir?: string;
  /** Only report what would be removed. */
  dryRun?: boolean;
}

/** What {@link sweepLeftovers} removed (or, with `dryRun`, would remove). */
export interface SweepReport {
  runs: string[];
  namespaces: string[];
  links: string[];
  processes: number[];
  tempDirs: string[];
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Pids of every process whose network namespace is `namespace` (`ip netns pids`). */
export function namespacePids(namespace: string): number[] {
  const { stdout } = execCommandSync('ip', ['netns', 'pids', namespace]);
  return stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}

/**
 * Removes one namespace and every process inside it (SIGKILL), synchronously. Returns the pids killed.
 *
 * Equals `ip netns pids NAME | xargs kill -9; ip netns del NAME`.
 */
export function destroyNamespaceSync(namespace: string): number[] {
  const pids = namespacePids(namespace);
  for (const pid of pids) killQuietly(pid);
  execCommandSync('ip', ['netns', 'del', namespace]);
  return pids;
}

/**
 * Removes everything a run recorded, synchronously and best effort: processes (only if pid *and* start time
 * still match), namespaces with whatever runs in them, root-namespace links, temp dirs, then the state file.
 * Safe to call from an `exit` handler.
 */
export function destroyRunSync(state: RunState, statePath?: string, report?: SweepReport): void {
  for (const recorded of state.processes) {
    if (isProcessAlive(recorded)) {
      killQuietly(recorded.pid);
      report?.processes.push(recorded.pid);
    }
  }
  // Links first: deleting a link is synchronous, while a deleted namespace's devices go away asynchronously.
  for (const link of state.links) {
    if (execCommandSync('ip', ['link', 'del', link]).code === 0) report?.links.push(link);
  }
  // Hosts first, so their veth peers vanish with them; the underlay namespace last.
  for (const namespace of [...state.namespaces].reverse()) {
    const pids = destroyNamespaceSync(namespace);
    report?.processes.push(...pids);
    report?.namespaces.push(namespace);
  }
  for (const directory of state.tempDirs) {
    rmSync(directory, { recursive: true, force: true });
    report?.tempDirs.push(directory);
  }
  if (statePath) rmSync(statePath, { force: true });
}

function listNamespaces(): string[] {
  const { stdout } = execCommandSync('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);
}

function listRootLinks(): string[] {
  const { stdout, code } = execCommandSync('ip', ['-j', 'link', 'show']);
  if (code !== 0) return [];
  return (JSON.parse(stdout) as { ifname: string }[]).map((link) => link.ifname);
}

/** Processes anywhere whose command line names a lab temp dir (standalone etcd runs in the root namespace). */
function processesUsingTempDirs(): { pid: number; runId: string }[] {
  const found: { pid: number; runId: string }[] = [];
  const marker = join(tmpdir(), TEMP_DIR_PREFIX);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const at = commandLine.indexOf(marker);
    if (at === -1) continue;
    const runId = runIdOf(commandLine.slice(at + marker.length));
    if (runId) found.push({ pid, runId });
  }
  return found;
}

/**
 * Removes what crashed lab runs left behind: every run whose owning process is gone (per its state file), plus
 * anything carrying the lab's name marker (`ft` + 4 characters + `-`: namespaces, root-namespace links, temp
 * dirs, processes using those temp dirs) that no live run claims. Runs whose owner is still alive — another
 * test worker, a concurrent `pnpm test` — are left alone.
 *
 * Also available as a CLI: `node packages/testlab/dist/sweep.js [--dry-run]`.
 *
 * @example
 * ```ts
 * const report = await sweepLeftovers();
 * console.log(`removed ${report.namespaces.length} namespaces`);
 * ```
 */
export async function sweepLeftovers(options: SweepOptions = {}): Promise<SweepReport> {
  const report: SweepReport = { runs: [], namespaces: [], links: [], processes: [], tempDirs: [] };
  const stateDir = options.stateDir ?? defaultStateDir();
  const live = new Set<string>();
  const dead: { path: string; state: RunState }[] = [];
  for (const entry of readRunStates(stateDir)) {
    if (isProcessAlive(entry.state.owner)) live.add(entry.state.runId);
    else dead.push(entry);
  }
  const isLeftover = (name: string): boolean => {
    const runId = runIdOf(name);
    return runId !== undefined && !live.has(runId);
  };

  if (options.dryRun) {
    for (const { state } of dead) {
      report.runs.push(state.runId);
      report.processes.push(...state.processes.filter(isProcessAlive).map((recorded) => recorded.pid));
      report.tempDirs.push(...state.tempDirs);
    }
    report.namespaces.push(...listNamespaces().filter(isLeftover));
    report.links.push(...listRootLinks().filter(isLeftover));
    return report;
  }

  for (const { path, state } of dead) {
    report.runs.push(state.runId);
    destroyRunSync(state, path, report);
  }
  // Name-based pass: resources of runs whose state file was lost or never written completely.
  for (const { pid, runId } of processesUsingTempDirs()) {
    if (!live.has(runId)) {
      killQuietly(pid);
      report.processes.push(pid);
    }
  }
  for (const namespace of listNamespaces().filter(isLeftover)) {
    report.processes.push(...destroyNamespaceSync(namespace));
    report.namespaces.push(namespace);
  }
  for (const link of listRootLinks().filter(isLeftover)) {
    execCommandSync('ip', ['link', 'del', link]);
    report.links.push(link);
  }
  for (const entry of readdirSync(tmpdir())) {
    if (entry.startsWith(TEMP_DIR_PREFIX) && isLeftover(entry.slice(TEMP_DIR_PREFIX.length))) {
      const directory = join(tmpdir(), entry);
      rmSync(directory, { recursive: true, force: true });
      report.tempDirs.push(directory);
    }
  }
  report.namespaces = [...new Set(report.namespaces)];
  report.processes = [...new Set(report.processes)];
  report.tempDirs = [...new Set(report.tempDirs)];
  return report;
}
