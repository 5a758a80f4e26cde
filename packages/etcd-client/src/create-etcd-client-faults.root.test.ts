import { createLab, execCommand, isRoot, rootSkipReason, type Lab } from '@flannel-ts/testlab';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import type { EtcdClient } from './etcd-client.js';
import { etcdFailure } from './testing/etcd-failure.js';

// Network faults between this process and etcd, made with iptables inside the lab's underlay namespace
// (where etcd runs; the rules go away with the namespace). Each case heals the fault and checks the client
// recovers without crashing the process: a dial that timed out on a lost SYN must never act on the late
// `connect` (Node throws ERR_HTTP2_INVALID_SESSION from a PING on a destroyed session).
const key = (text: string): Buffer => Buffer.from(text);
let lab: Lab;
let endpoint: string;
let port: string;

/** Runs `iptables <args>` inside the underlay namespace. */
async function iptables(args: readonly string[]): Promise<void> {
  await execCommand('ip', ['netns', 'exec', lab.underlay.netns, 'iptables', '-w', ...args], { check: true });
}
const unhealed = new Set<() => Promise<void>>();
/** Drops (or rejects with `target`) packets to etcd's client port; returns the function that heals it (afterEach heals what a failed test left). */
async function fault(chain: 'INPUT' | 'OUTPUT', target: readonly string[] = ['-j', 'DROP']): Promise<() => Promise<void>> {
  const rule = [chain, '-p', 'tcp', chain === 'INPUT' ? '--dport' : '--sport', port, ...target];
  await iptables(['-A', ...rule]);
  const heal = async (): Promise<void> => {
    if (!unhealed.delete(heal)) return;
    await iptables(['-D', ...rule]);
  };
  unhealed.add(heal);
  return heal;
}

// Short timers keep the test quick; the keepalive timeout leaves room for a loaded machine's etcd to answer.
function client(options: { keepaliveIntervalMs?: number; dialTimeoutMs?: number } = {}): EtcdClient {
  return createEtcdClient({
    endpoints: [endpoint],
    dialTimeoutMs: options.dialTimeoutMs ?? 1_000,
    requestTimeoutMs: 1_000,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 100,
    keepaliveTimeoutMs: 500,
  });
}

describe.skipIf(!isRoot())(`createEtcdClient under network faults ${rootSkipReason() ?? ''}`, () => {
  beforeAll(async () => {
    lab = await createLab({ hosts: 0, etcd: { members: 1 } });
    endpoint = lab.etcd.clientUrls[0] as string;
    port = new URL(endpoint).port;
  });
  afterEach(async () => {
    for (const heal of [...unhealed]) await heal();
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('SYN loss at start-up: the dial times out, the late connect is ignored, the next call works', async () => {
    // A dial timeout well before the kernel's first SYN retransmission (1 s), so that one connects after the heal.
    const etcd = client({ dialTimeoutMs: 300 });
    const heal = await fault('INPUT');
    try {
      const error = await etcdFailure(etcd.range({ key: key('/fault/syn') }));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
      expect(error.message).toMatch(/dial timeout/);
      await heal();
      // The kernel would retransmit the lost SYN about 1 s after the first: give it the chance to connect.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await etcd.put({ key: key('/fault/syn'), value: key('1') });
    } finally {
      etcd.close();
    }
  });

  it('partition and heal: calls fail with typed errors during it and succeed after, without a crash', async () => {
    const etcd = client();
    try {
      await etcd.put({ key: key('/fault/p'), value: key('1') });
      const heal = await fault('INPUT');
      const during = await etcdFailure(etcd.range({ key: key('/fault/p') }));
      expect(['DEADLINE_EXCEEDED', 'UNAVAILABLE']).toContain(during.code);
      // Keepalive notices the dead connection; the redial times out on the lost SYN.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await etcdFailure(etcd.range({ key: key('/fault/p') }))).code).toBe('UNAVAILABLE');
      await heal();
      expect(String((await etcd.range({ key: key('/fault/p') })).kvs[0]?.value)).toBe('1');
    } finally {
      etcd.close();
    }
  });

  it('half-open connection (etcd’s replies lost): the call times out, keepalive drops the session, heal recovers', async () => {
    const etcd = client();
    try {
      await etcd.put({ key: key('/fault/h'), value: key('1') });
      const heal = await fault('OUTPUT');
      // The request deadline (1 s) or the unanswered keepalive PING (100 + 500 ms), whichever comes first.
      expect(['DEADLINE_EXCEEDED', 'UNAVAILABLE']).toContain((await etcdFailure(etcd.range({ key: key('/fault/h') }))).code);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await heal();
      expect(String((await etcd.range({ key: key('/fault/h') })).kvs[0]?.value)).toBe('1');
    } finally {
      etcd.close();
    }
  });

  it('RST: a reset connection fails calls as UNAVAILABLE at once, and the client reconnects after', async () => {
    const etcd = client({ keepaliveIntervalMs: 0 });
    try {
      await etcd.put({ key: key('/fault/r'), value: key('1') });
      const heal = await fault('INPUT', ['-j', 'REJECT', '--reject-with', 'tcp-reset']);
      expect((await etcdFailure(etcd.range({ key: key('/fault/r') }))).code).toBe('UNAVAILABLE');
      expect((await etcdFailure(etcd.range({ key: key('/fault/r') }))).code).toBe('UNAVAILABLE');
      await heal();
      expect(String((await etcd.range({ key: key('/fault/r') })).kvs[0]?.value)).toBe('1');
    } finally {
      etcd.close();
    }
  });
});
