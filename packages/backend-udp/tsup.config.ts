import { defineConfig } from 'tsup';

// The forwarder worker is its own entry: `new Worker(...)` loads it by file name next to the bundle.
export default defineConfig({
  entry: ['src/index.ts', 'src/testing/index.ts', 'src/forwarder-worker.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  // Class names survive bundling (FlannelError, not _FlannelError, in logs and console.log).
  keepNames: true,
  clean: true,
});
