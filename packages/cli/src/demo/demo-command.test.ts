import { describe, expect, it } from 'vitest';
import { demoCommand } from './demo-command.js';

const run = async (argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const status = await demoCommand(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
  return { status, stdout, stderr };
};

describe('demoCommand', () => {
  it('prints its usage for --help', async () => {
    const result = await run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: flannel-ts demo');
  });

  it('refuses a host count outside 2..20, naming the flag and the value', async () => {
    expect((await run(['--hosts', '1'])).stderr).toBe('flannel-ts demo: --hosts "1" is invalid: must be an integer 2..20\n');
    expect((await run(['--hosts=x'])).status).toBe(2);
  });

  it('refuses an unsupported backend and unknown arguments', async () => {
    expect((await run(['--backend', 'ipip'])).stderr).toContain('--backend "ipip" is invalid: must be one of vxlan, host-gw, udp, extension, wireguard');
    expect((await run(['--frobnicate'])).status).toBe(2);
  });
});
