#!/usr/bin/env node
// Scaffolds packages/<dir> with the monorepo's package shape: `node scripts/new-package.mjs <dir> "<description>" [--testing]`.
import { copyFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';

const [dir, description = '', ...flags] = process.argv.slice(2);
if (!dir || !/^[a-z][a-z0-9-]*$/.test(dir)) {
  console.error('usage: new-package.mjs <kebab-dir> "<description>" [--testing]');
  process.exit(1);
}
const testing = flags.includes('--testing');
const base = `packages/${dir}`;
if (existsSync(base)) {
  console.error(`${base} already exists`);
  process.exit(1);
}
mkdirSync(`${base}/src${testing ? '/testing' : ''}`, { recursive: true });
const exportsMap = {
  // `default` (not `import`): Node >= 20.19 can then require() the ESM build too.
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  ...(testing ? { './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' } } : {}),
  './package.json': './package.json',
};
const pkg = {
  name: `@flannel-ts/${dir}`,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  repository: { type: 'git', url: 'git+https://github.com/flannel-ts/flannel-ts.git', directory: `packages/${dir}` },
  homepage: `https://github.com/flannel-ts/flannel-ts/tree/main/packages/${dir}#readme`,
  bugs: { url: 'https://github.com/flannel-ts/flannel-ts/issues' },
  publishConfig: { access: 'public' },
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19' },
  files: ['dist'],
  exports: exportsMap,
  scripts: { build: 'tsup', lint: 'publint' },
  dependencies: {},
};
writeFileSync(`${base}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  `${base}/tsconfig.json`,
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist' }, include: ['src'], exclude: ['src/**/*.test.ts'] }, null, 2)}\n`,
);
writeFileSync(
  `${base}/tsup.config.ts`,
  `import { defineConfig } from 'tsup';\n\nexport default defineConfig({\n  entry: ${JSON.stringify(testing ? ['src/index.ts', 'src/testing/index.ts'] : ['src/index.ts'])},\n  format: ['esm'],\n  dts: true,\n  sourcemap: true,\n  keepNames: true,\n  clean: true,\n});\n`,
);
writeFileSync(`${base}/src/index.ts`, `/** ${description} */\nexport {};\n`);
if (testing) writeFileSync(`${base}/src/testing/index.ts`, `/** Test doubles for ${pkg.name}. */\nexport {};\n`);
// npm puts a package directory's LICENSE in its tarball; the repository's own is the one copied.
copyFileSync('LICENSE', `${base}/LICENSE`);
writeFileSync(`${base}/README.md`, `# ${pkg.name}\n\n${description}\n`);
console.log(`created ${base}`);
