import { defineConfig } from 'tsup';

export default defineConfig({
  // `flannel-main` is the plugin executable's whole program (bin/flannel.js): node built-ins only.
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'flannel-main': 'src/flannel/flannel-main.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
});
