import { describe, expect, it } from 'vitest';
import { createHostPair } from './host-pair.js';
import { findLeftovers } from './leftovers.js';
import { isRoot, rootSkipReason } from './root.js';

describe.skipIf(!isRoot())(`createHostPair ${rootSkipReason() ?? ''}`.trimEnd(), () => {
  it('joins two namespaces on one segment and removes everything', async () => {
    const pair = createHostPair({ tag: 'hp' });
    try {
      expect(pair.a.name).toMatch(/^ft[a-z0-9]{4}-hpa$/);
      pair.a.exec('ping', '-c', '1', '-W', '5', pair.b.address);
      pair.b.exec('ping', '-6', '-c', '1', '-W', '5', pair.a.address6);
      await pair.a.writeSysctl('net/ipv4/ip_forward', '1');
      expect(pair.a.exec('cat', '/proc/sys/net/ipv4/ip_forward').trim()).toBe('1');
      expect(pair.b.ipJson<{ ifname: string }[]>('link', 'show', 'eth0')[0]?.ifname).toBe('eth0');
    } finally {
      pair.remove();
    }
    pair.remove();
    expect(await findLeftovers(pair.runId)).toEqual({ namespaces: [], links: [], processes: [], tempDirs: [], stateFile: undefined });
  });
});
