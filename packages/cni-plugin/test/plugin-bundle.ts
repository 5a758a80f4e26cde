// The plugin as a runtime finds it: an executable file named `flannel` in a CNI bin directory. Tests
// bundle the sources with esbuild (as `pnpm build` does for dist/flannel.cjs), so no build is needed.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Writes `<directory>/flannel` (one CommonJS file with a `#!/usr/bin/env node` line) and returns its path. */
export async function bundlePlugin(directory: string): Promise<string> {
  const outfile = join(directory, 'flannel');
  await build({
    entryPoints: [fileURLToPath(new URL('../src/flannel/flannel-bin.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'error',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}
