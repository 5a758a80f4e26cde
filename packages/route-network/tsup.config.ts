import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ["src/index.ts"],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  // Class names survive bundling (FlannelError, not _FlannelError, in logs and console.log).
  keepNames: true,
  clean: true,
});
