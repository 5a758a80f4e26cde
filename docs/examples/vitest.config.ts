// Runs the example tests with the same workspace aliases as the root config (sources, no build).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@flannel-ts\/([^/]+)\/(.+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
      { find: /^@flannel-ts\/([^/]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: { root: fileURLToPath(new URL('.', import.meta.url)), include: ['*.test.ts'] },
});
