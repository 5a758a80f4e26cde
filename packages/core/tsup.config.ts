import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing/index.ts', 'src/testing/vitest/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
});
