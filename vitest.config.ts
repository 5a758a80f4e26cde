import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One project per package; workspace imports resolve to `src`, so tests never need a build.
const root = fileURLToPath(new URL('.', import.meta.url));
const packages = readdirSync(`${root}packages`).filter((name) => existsSync(`${root}packages/${name}/package.json`));

const alias = [
  { find: /^@flannel-ts\/([^/]+)\/(.+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
  { find: /^@flannel-ts\/([^/]+)$/, replacement: `${root}packages/$1/src/index.ts` },
];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      resolve: { alias },
      test: {
        name,
        root: `${root}packages/${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
