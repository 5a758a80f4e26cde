import { describe, expect, it } from 'vitest';
import { envVarName } from './flags/flag-definition.js';
import { FLANNELD_FLAGS } from './flags/flanneld-flags.js';
import { renderHelp } from './help.js';

describe('renderHelp', () => {
  it('matches the snapshot', async () => {
    await expect(renderHelp('0.0.0-test')).toMatchFileSnapshot('./__snapshots__/help.txt');
  });

  it('lists the subcommands: config check and demo', () => {
    const help = renderHelp('1.2.3');
    expect(help).toContain('  flannel-ts config check [FILE|-]');
    expect(help).toContain('  flannel-ts demo [--hosts N] [--backend vxlan|host-gw|udp|extension|wireguard] [--kube]');
  });

  it('mentions every flag and its environment variable', () => {
    const help = renderHelp('1.2.3');
    for (const flag of FLANNELD_FLAGS) {
      expect(help).toContain(`--${flag.name}`);
      expect(help).toContain(envVarName(flag.name));
    }
  });

  it('shows no default for a secret', () => {
    expect(renderHelp('1').split('--etcd-password')[1]?.split('\n')[2]).toBe('      env: FLANNELD_ETCD_PASSWORD');
  });
});
