import { destroyRunSync } from './sweep.js';
import type { RunRecord } from './run-record.js';

// Process-wide on purpose: `exit` and signal handlers are per process, so the set of runs they must clean up
// is too. Nothing registers at import time; the handlers exist only while some run is open.
const openRuns = new Set<RunRecord>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function cleanupAll(): void {
  for (const record of openRuns) {
    try {
      destroyRunSync(record.state, record.path);
    } catch {
      // Best effort: sweepLeftovers() finishes the job later.
    }
  }
  openRuns.clear();
}

function onExit(): void {
  cleanupAll();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupAll();
  uninstall();
  // If nobody else handles the signal, restore the default behaviour (terminate) by re-raising it.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', onExit);
  for (const signal of signals) process.off(signal, onSignal);
}

/** Makes sure `record`'s resources are removed synchronously if the process exits or is signalled. */
export function registerForCleanup(record: RunRecord): void {
  if (openRuns.size === 0) install();
  openRuns.add(record);
}

/** The run was cleaned up normally; its exit hook is no longer needed. */
export function unregisterForCleanup(record: RunRecord): void {
  openRuns.delete(record);
  if (openRuns.size === 0) uninstall();
}
