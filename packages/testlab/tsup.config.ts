import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', sweep: 'src/sweep-cli.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
});
