import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/flannel-ts.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)));
const example = fileURLToPath(new URL('../../../examples/vxlan.json', import.meta.url));

describe('the flannel-ts binary', () => {
  it.skipIf(!built)('checks examples/vxlan.json as a real process (needs `pnpm build`)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'config', 'check', example]);
    expect(JSON.parse(stdout)).toMatchObject({ Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } });
  });

  it.skipIf(!built)('exits 2 on an unknown flag', async () => {
    const error = await promisify(execFile)(process.execPath, [bin, '--no-such-flag']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('unknown flag --no-such-flag');
  });
});
