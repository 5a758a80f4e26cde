import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every module and package `entry` loads at run time (type-only imports erased). */
async function runtimeGraph(entry: string): Promise<{ files: Set<string>; packages: Set<string> }> {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (files.has(file)) continue;
    files.add(file);
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gmu)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier.replace(/\.js$/u, '.ts')));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

describe('@flannel-ts/core/testing', () => {
  it('loads no test runner, so node:test and Jest users can use the fakes', async () => {
    const { files, packages } = await runtimeGraph(fileURLToPath(new URL('./index.ts', import.meta.url)));
    expect(files.size).toBeGreaterThan(3);
    expect([...packages].filter((name) => /vitest|jest/u.test(name))).toEqual([]);
  });

  it('keeps the vitest conformance suites in /testing/vitest', async () => {
    const { packages } = await runtimeGraph(fileURLToPath(new URL('./vitest/index.ts', import.meta.url)));
    expect(packages).toContain('vitest');
  });
});
