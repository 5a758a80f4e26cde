import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';

let etcd: LocalEtcd;
beforeAll(async () => {
  etcd = await startLocalEtcd();
});
afterAll(async () => {
  await etcd?.close();
});

/** Runs `source` (an ES module importing the client from src via tsx) and resolves its exit code and stdout. */
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const index = fileURLToPath(new URL('./index.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source.replaceAll('$INDEX', index)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 /* a process kept alive is killed: the test then fails */ });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('createEtcdClient and the event loop', () => {
  it('an idle connection does not keep the process alive (no close needed)', async () => {
    const result = await runScript(`
      import { createEtcdClient } from '$INDEX';
      const client = createEtcdClient({ endpoints: ['${etcd.endpoint}'] });
      await client.put({ key: Buffer.from('/exit'), value: Buffer.from('1') });
      const { kvs } = await client.range({ key: Buffer.from('/exit') });
      console.log(String(kvs[0].value));
    `);
    expect(result).toMatchObject({ code: 0, stdout: '1\n' });
  });
});
