import { parseNetworkConfig } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { FLANNELD_BACKENDS } from './flanneld-dependencies.js';
import type { DaemonDependencies } from './daemon-dependencies.js';
import { checkBackendOptions } from './preflight-checks.js';

describe('FLANNELD_BACKENDS', () => {
  it('runs a config without Backend on udp, as flannel does', () => {
    const { config } = parseNetworkConfig('{"Network":"10.5.0.0/16"}');
    expect(config.backendType).toBe('udp');
    expect(() => checkBackendOptions(config, { backends: FLANNELD_BACKENDS } as DaemonDependencies)).not.toThrow();
  });

  it('checks udp options before anything is created', () => {
    const { config } = parseNetworkConfig('{"Network":"10.5.0.0/16","Backend":{"Type":"udp","Port":70000}}');
    expect(() => FLANNELD_BACKENDS.udp!.validate!(config)).toThrow('Backend.Port 70000 is invalid: must be an integer 1..65535');
  });
});
