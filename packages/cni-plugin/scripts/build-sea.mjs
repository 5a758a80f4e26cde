#!/usr/bin/env node
// Builds the self-contained `flannel` plugin (a Node single executable application) for hosts without
// Node.js: dist/flannel.cjs (from `pnpm build`) is turned into a SEA blob with
// `node --experimental-sea-config`, injected with postject into a copy of this node binary, and written
// to dist/flannel-sea (or the path given). Usage: node scripts/build-sea.mjs [OUT] [SCRIPT]
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const script = resolve(process.argv[3] ?? join(packageDir, 'dist', 'flannel.cjs'));
const out = resolve(process.argv[2] ?? join(packageDir, 'dist', 'flannel-sea'));
if (!existsSync(script)) {
  console.error(`build-sea: ${script} is missing: run pnpm build first`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'flannel-ts-sea-'));
try {
  const blob = join(work, 'flannel.blob');
  const config = { main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config));
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'inherit' });
  const staging = join(work, 'flannel');
  copyFileSync(process.execPath, staging);
  chmodSync(staging, 0o755);
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  execFileSync(process.execPath, [postject, staging, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'inherit' });
  copyFileSync(staging, out);
  chmodSync(out, 0o755);
  console.log(`build-sea: wrote ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
