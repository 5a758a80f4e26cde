#!/usr/bin/env node
/**
 * `flannel-ts-testlab-sweep [--dry-run]`: removes what crashed lab runs left behind (see `sweepLeftovers`).
 * Runs of live processes are left alone.
 */
import { sweepLeftovers } from './sweep.js';

const dryRun = process.argv.includes('--dry-run');
if (process.argv.includes('--help')) {
  console.log('usage: flannel-ts-testlab-sweep [--dry-run]\nRemoves namespaces, links, processes and temp dirs left by crashed flannel-ts testlab runs.');
  process.exit(0);
}
const report = await sweepLeftovers({ dryRun });
const verb = dryRun ? 'would remove' : 'removed';
console.log(
  `${verb}: ${report.runs.length} run(s) [${report.runs.join(' ')}], ${report.namespaces.length} namespace(s), ` +
    `${report.links.length} link(s), ${report.processes.length} process(es), ${report.tempDirs.length} temp dir(s)`,
);
