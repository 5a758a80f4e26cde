import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A process a run started, identified exactly: pid plus its kernel start time (guards against pid reuse). */
export interface RecordedProcess {
  pid: number;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks since boot). */
  startTime: string;
  /** What it is, for humans reading the file. */
  what: string;
}

/**
 * What a run has created, as written to `<stateDir>/<runId>.json` before each resource exists, so that a crash
 * at any point leaves enough behind for {@link sweepLeftovers} to remove everything exactly.
 */
export interface RunState {
  runId: string;
  /** The process that owns the run; while it is alive, sweeping leaves the run alone. */
  owner: RecordedProcess;
  createdAt: string;
  /** Network namespaces (`/run/netns/<name>`). */
  namespaces: string[];
  /** Links in the root namespace. */
  links: string[];
  processes: RecordedProcess[];
  tempDirs: string[];
}

/**
 * Where run states live: `$FLANNEL_TS_TESTLAB_STATE_DIR`, else `/run/flannel-ts-testlab` for root, else a
 * per-user directory under the temp dir.
 */
export function defaultStateDir(): string {
  const fromEnv = process.env.FLANNEL_TS_TESTLAB_STATE_DIR;
  if (fromEnv) return fromEnv;
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  return uid === 0 ? '/run/flannel-ts-testlab' : join(tmpdir(), `flannel-ts-testlab-state-${uid}`);
}

/** The kernel start time of `pid` (field 22 of `/proc/<pid>/stat`), or `undefined` if it is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is parenthesised and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Whether the exact process (pid and start time) is still running (zombies count as gone). */
export function isProcessAlive(process: Pick<RecordedProcess, 'pid' | 'startTime'>): boolean {
  const startTime = processStartTime(process.pid);
  if (startTime === undefined || startTime !== process.startTime) return false;
  try {
    const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Describes a running process for a {@link RunState}, or `undefined` if it already exited. */
export function recordProcess(pid: number, what: string): RecordedProcess | undefined {
  const startTime = processStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime, what };
}

/** Reads every run state in `stateDir`, skipping unreadable files. */
export function readRunStates(stateDir: string): { path: string; state: RunState }[] {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    return [];
  }
  const states: { path: string; state: RunState }[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const path = join(stateDir, name);
    try {
      states.push({ path, state: JSON.parse(readFileSync(path, 'utf8')) as RunState });
    } catch {
      // A half-written or foreign file: the name-based sweep still catches its resources.
    }
  }
  return states;
}

/** The live, written-through record of one run's resources. */
export class RunRecord {
  /** The recorded resources (mirrors the file). */
  readonly state: RunState;
  /** The state file. */
  readonly path: string;
  #deleted = false;
  #written = false;

  constructor(runId: string, stateDir = defaultStateDir()) {
    const owner = recordProcess(process.pid, 'owner');
    if (!owner) throw new Error('cannot read /proc/self/stat');
    this.state = { runId, owner, createdAt: new Date().toISOString(), namespaces: [], links: [], processes: [], tempDirs: [] };
    mkdirSync(stateDir, { recursive: true, mode: 0o755 });
    this.path = join(stateDir, `${runId}.json`);
    this.save();
  }

  /**
   * Writes the state atomically (temp file + rename). Once the file exists, a missing file means the run was
   * swept (or closed): it is then not written again.
   */
  save(): void {
    if (this.#deleted) return;
    if (this.#written && !existsSync(this.path)) {
      this.#deleted = true;
      return;
    }
    this.#written = true;
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.state, null, 2)}\n`);
    renameSync(temporary, this.path);
  }

  /** Records a resource (before creating it, so a crash in between still leaves a trace). */
  add(kind: 'namespaces' | 'links' | 'tempDirs', name: string): void {
    if (!this.state[kind].includes(name)) this.state[kind].push(name);
    this.save();
  }

  /** Forgets a resource that is gone. */
  remove(kind: 'namespaces' | 'links' | 'tempDirs', name: string): void {
    this.state[kind] = this.state[kind].filter((entry) => entry !== name);
    this.save();
  }

  /** Records a started process by pid and start time. */
  addProcess(pid: number | undefined, what: string): void {
    if (pid === undefined) return;
    const recorded = recordProcess(pid, what);
    if (!recorded) return;
    this.state.processes.push(recorded);
    this.save();
  }

  /** Forgets a process that exited. */
  removeProcess(pid: number | undefined): void {
    this.state.processes = this.state.processes.filter((entry) => entry.pid !== pid);
    this.save();
  }

  /** Removes the state file: the run left nothing behind. */
  delete(): void {
    this.#deleted = true;
    rmSync(this.path, { force: true });
  }
}
