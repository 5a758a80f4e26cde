import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // `flannel-main` is the plugin's whole program (bin/flannel.js): node built-ins only.
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'flannel-main': 'src/flannel/flannel-main.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
  // Class names survive bundling (FlannelError, not _FlannelError, in logs and console.log).
  keepNames: true,
    clean: true,
  },
  {
    // The plugin as one CommonJS file with a shebang: what install-cni copies to `<bin-dir>/flannel`,
    // and the script a Node single executable application embeds (SEA needs one CommonJS file).
    entry: { flannel: 'src/flannel/flannel-bin.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    banner: { js: '#!/usr/bin/env node' },
    splitting: false,
    dts: false,
    sourcemap: false,
  },
]);
