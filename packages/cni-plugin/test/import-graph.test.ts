// The plugin is started once per pod, so its program must stay small: only this package's own modules
// (no daemon, etcd, netlink, logger or npm dependency) and node built-ins, bundled into one file.
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the flannel executable\'s import graph', () => {
  it('holds only this package\'s sources and node built-ins', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/flannel/flannel-bin.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => !/(^|\/)packages\/cni-plugin\/src\/(flannel|skel|go-json|result)\//.test(input) && !/^src\/(flannel|skel|go-json|result)\//.test(input))).toEqual([]);
    const external = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((each) => each.external).map((each) => each.path));
    expect(external.filter((path) => !isBuiltin(path))).toEqual([]);
    expect(result.outputFiles[0]!.contents.length).toBeLessThan(100 * 1024);
  });
});
