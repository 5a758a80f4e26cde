import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execCommand } from './exec.js';
import { TEMP_DIR_PREFIX } from './names.js';
import { defaultStateDir } from './run-record.js';

/** What still exists for a run id (see {@link findLeftovers}). */
export interface Leftovers {
  namespaces: string[];
  links: string[];
  /** Processes whose command line names the run (e.g. etcd, through its data dir). */
  processes: number[];
  tempDirs: string[];
  stateFile: string | undefined;
}

/**
 * Lists everything carrying `runId` that still exists: namespaces, root-namespace links, processes naming it,
 * temp dirs and the state file. Empty lists mean the run cleaned up after itself.
 *
 * @example
 * ```ts
 * const { runId } = lab;
 * await lab.close();
 * expect(await findLeftovers(runId)).toEqual({ namespaces: [], links: [], processes: [], tempDirs: [], stateFile: undefined });
 * ```
 */
export async function findLeftovers(runId: string, stateDir = defaultStateDir()): Promise<Leftovers> {
  const marker = `${runId}-`;
  const [namespaces, links] = await Promise.all([
    execCommand('ip', ['netns', 'list']),
    execCommand('ip', ['-j', 'link', 'show']),
  ]);
  const processes: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) processes.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  const stateFile = join(stateDir, `${runId}.json`);
  return {
    namespaces: namespaces.stdout
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name.startsWith(marker)),
    links: (JSON.parse(links.stdout || '[]') as { ifname: string }[]).map((link) => link.ifname).filter((name) => name.startsWith(marker)),
    processes,
    tempDirs: readdirSync(tmpdir())
      .filter((name) => name.startsWith(`${TEMP_DIR_PREFIX}${marker}`))
      .map((name) => join(tmpdir(), name)),
    stateFile: existsSync(stateFile) ? stateFile : undefined,
  };
}
