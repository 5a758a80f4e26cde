import { FlannelError, type Lease, type LeaseWatchResult, type SubnetManager } from '@flannel-ts/core';
import { createKubeClient } from '@flannel-ts/kube-client';
import { KUBE_FLANNEL_CLUSTER_ROLE } from '@flannel-ts/kube-client/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeAnnotations } from './kube-annotations.js';
import { resolveNodeName } from './resolve-node-name.js';
import { flannelAnnotations, recordingLogger, startKubeHarness, type KubeHarness } from './test-support/kube-harness.js';
import { IpNet, OwnLeaseGuard } from '@flannel-ts/core';

const CONFIG = '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}';
const DUAL = '{"Network":"10.5.0.0/16","EnableIPv6":true,"IPv6Network":"fd00:5::/48","Backend":{"Type":"vxlan"}}';
const names = kubeAnnotations();
const MAC = 'aa:bb:cc:00:00:01';
const ATTRIBUTES = { publicIP: '192.168.0.1', backendType: 'vxlan', backendData: `{"VNI":1,"VtepMAC":"${MAC}"}` };

let harness: KubeHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function open(config = CONFIG, ownPodCidrs?: readonly string[], serverOptions = {}): Promise<KubeHarness> {
  harness = await startKubeHarness(ownPodCidrs, serverOptions);
  harness.setConfig(config);
  return harness;
}

async function rejection(promise: Promise<unknown>): Promise<FlannelError> {
  try {
    await promise;
  } catch (error) {
    if (FlannelError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a FlannelError');
}

function annotationsOf(h: KubeHarness, name = 'self'): Record<string, string> {
  return (h.server.getNode(name)?.['metadata'] as { annotations: Record<string, string> }).annotations;
}

/**
 * The first result of a lease watch, given to an own-lease guard of `lease`, checked to have neither
 * re-asserted the lease nor logged anything.
 */
async function ownLeaseGuardOnSnapshot(manager: SubnetManager, lease: Lease): Promise<LeaseWatchResult> {
  const logger = recordingLogger();
  const controller = new AbortController();
  const guard = new OwnLeaseGuard({ lease, subnetManager: manager, logger, signal: controller.signal });
  const iterator = manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    if (first.done === true) throw new Error('the lease watch ended before its snapshot');
    guard.observe(first.value);
    expect(guard.reasserted).toBe(0);
    expect(logger.lines).toEqual([]);
    return first.value;
  } finally {
    controller.abort();
    await iterator.return?.();
  }
}

function describeResult(result: LeaseWatchResult): string[] {
  if (result.kind === 'snapshot') return [`snapshot ${result.leases.map((l) => `${l.subnet?.toString()}@${l.attributes.publicIP}`).sort().join(',')}`];
  return result.events.map((e) => `${e.type} ${e.lease.subnet?.toString()}@${e.lease.attributes.publicIP}`);
}

async function next(iterator: AsyncIterator<LeaseWatchResult>): Promise<string[]> {
  const item = await iterator.next();
  if (item.done === true) throw new Error('watch ended');
  return describeResult(item.value);
}

describe('resolveNodeName', () => {
  it('prefers NODE_NAME, else reads spec.nodeName of POD_NAMESPACE/POD_NAME', async () => {
    const h = await open();
    const client = createKubeClient({ server: h.server.url, source: 'test' });
    h.server.createNamespace('kube-flannel');
    h.server.createPod('kube-flannel', 'kube-flannel-ds-x', 'self');
    expect(await resolveNodeName({ client, env: { NODE_NAME: 'n9', POD_NAME: 'kube-flannel-ds-x', POD_NAMESPACE: 'kube-flannel' } })).toBe('n9');
    expect(await resolveNodeName({ client, env: { POD_NAME: 'kube-flannel-ds-x', POD_NAMESPACE: 'kube-flannel' } })).toBe('self');
    expect(h.server.requests.at(-1)?.path).toBe('/api/v1/namespaces/kube-flannel/pods/kube-flannel-ds-x');
    await expect(resolveNodeName({ client, env: {} })).rejects.toThrow('env variables POD_NAME and POD_NAMESPACE must be set');
    await expect(resolveNodeName({ client, env: { POD_NAME: 'ghost', POD_NAMESPACE: 'kube-flannel' } })).rejects.toThrow(
      `error retrieving pod spec for 'kube-flannel/ghost': pods "ghost" not found`,
    );
    client.close();
  });
});

describe('createKubeSubnetManager: acquireLease', () => {
  it('returns the podCIDR lease and patches the annotations on nodes/status only, within kube-flannel RBAC', async () => {
    const h = await open(CONFIG, ['10.5.1.0/24'], { users: [{ token: 'sa', name: 'system:serviceaccount:kube-flannel:flannel', rules: KUBE_FLANNEL_CLUSTER_ROLE }] });
    const manager = h.manager({ client: createKubeClient({ server: h.server.url, token: 'sa', source: 'test' }) });
    const lease = await manager.acquireLease(ATTRIBUTES);
    expect([lease.subnet?.toString(), lease.enableIPv4, lease.enableIPv6]).toEqual(['10.5.1.0/24', true, false]);
    expect(annotationsOf(h)).toMatchObject(flannelAnnotations(ATTRIBUTES));
    const actions = new Set(h.server.requests.map((r) => r.action));
    expect([...actions].sort()).toEqual(['get nodes', 'patch nodes/status']);
    expect(h.server.requests.find((r) => r.method === 'GET')?.query).toEqual({ resourceVersion: '0' });
    // A second start with the same attributes patches nothing.
    await h.manager({ client: createKubeClient({ server: h.server.url, token: 'sa', source: 'test' }) }).acquireLease(ATTRIBUTES);
    expect(h.server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('fails with flannel words when the podCIDR is missing and waiting is off', async () => {
    const h = await open(CONFIG, []);
    const error = await rejection(h.manager({ waitForPodCidr: false }).acquireLease(ATTRIBUTES));
    expect([error.code, error.message]).toEqual(['LEASE_ACQUIRE_FAILED', 'node "self" pod cidr not assigned']);
  });

  it('waits for the podCIDR with one clear log line, then acquires', async () => {
    const h = await open(CONFIG, []);
    const logger = recordingLogger();
    const acquiring = h.manager({ logger }).acquireLease(ATTRIBUTES);
    for (let i = 0; i < 100 && !logger.lines.some((l) => l.includes('pod cidr not assigned')); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    h.server.updateNode('self', (node) => {
      (node['spec'] as Record<string, unknown>)['podCIDR'] = '10.5.7.0/24';
    });
    expect((await acquiring).subnet?.toString()).toBe('10.5.7.0/24');
    expect(logger.lines.filter((l) => l.includes('pod cidr not assigned'))).toEqual([
      'warn node "self" pod cidr not assigned; waiting for kube-controller-manager to assign one (it needs --allocate-node-cidrs=true and a --cluster-cidr inside the net conf Network)',
    ]);
  });

  it('rejects a podCIDR outside Network before patching anything', async () => {
    const h = await open('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', ['10.5.1.0/24']);
    const error = await rejection(h.manager().acquireLease(ATTRIBUTES));
    expect([error.code, error.message]).toEqual([
      'CONFIG_INVALID',
      `subnet "10.244.0.0/16" specified in the flannel net config doesn't contain "10.5.1.0/24" PodCIDR of the "self" node`,
    ]);
    expect(h.server.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('works on a Node without any annotation (flannel panics on the nil map)', async () => {
    const h = await open(CONFIG, []);
    h.server.deleteNode('self');
    h.server.createNode({ name: 'self', podCIDR: '10.5.3.0/24', annotations: {} });
    expect((await h.manager().acquireLease(ATTRIBUTES)).subnet?.toString()).toBe('10.5.3.0/24');
    expect(annotationsOf(h)[names.subnetKubeManaged]).toBe('true');
  });

  it('publishes public-ip-overwrite and returns the published address in the lease', async () => {
    const h = await open();
    h.server.updateNode('self', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations[names.publicIPOverwrite] = '172.18.0.2';
    });
    const lease = await h.manager().acquireLease(ATTRIBUTES);
    expect(lease.attributes.publicIP).toBe('172.18.0.2');
    expect(annotationsOf(h)[names.publicIP]).toBe('172.18.0.2');
  });

  it('reads its own lease back unchanged when public-ip-overwrite differs from the detected address, so the own-lease guard stays quiet', async () => {
    const h = await open();
    h.server.updateNode('self', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations[names.publicIPOverwrite] = '172.18.0.2';
    });
    const manager = h.manager();
    const lease = await manager.acquireLease(ATTRIBUTES);
    const snapshot = await ownLeaseGuardOnSnapshot(manager, lease);
    expect(describeResult(snapshot)).toEqual(['snapshot 10.5.1.0/24@172.18.0.2']);
  });

  it('rejects an invalid public-ip-overwrite naming the annotation, before patching anything', async () => {
    const h = await open();
    h.server.updateNode('self', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations[names.publicIPOverwrite] = '172.18.0.300';
    });
    const error = await rejection(h.manager().acquireLease(ATTRIBUTES));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`node annotation ${names.publicIPOverwrite} "172.18.0.300" is invalid: must be an IPv4 address`);
    expect(annotationsOf(h)[names.publicIP]).toBeUndefined();
  });

  it.each([
    ['publicIPOverwrite', '127.0.0.1', 'must not be a loopback address'],
    ['publicIPOverwrite', '255.255.255.255', 'must not be the broadcast address'],
    ['publicIPOverwrite', '0.0.0.0', 'must not be the unspecified address'],
  ] as const)('refuses %s %s naming the annotation and the rule, patching nothing', async (key, value, rule) => {
    const h = await open();
    h.server.updateNode('self', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations[names[key]] = value;
    });
    const error = await rejection(h.manager().acquireLease(ATTRIBUTES));
    expect(error.message).toBe(`node annotation ${names[key]} "${value}" is invalid: ${rule}`);
    expect(h.server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('reads its own lease back from the Node with the attributes it acquired, so the own-lease guard stays quiet (backend-data "null")', async () => {
    const h = await open('{"Network":"10.5.0.0/16","Backend":{"Type":"host-gw"}}');
    const manager = h.manager();
    const lease = await manager.acquireLease({ publicIP: '192.168.0.1', backendType: 'host-gw' });
    expect(annotationsOf(h)[names.backendData]).toBe('null');
    const snapshot = await ownLeaseGuardOnSnapshot(manager, lease);
    expect(snapshot.kind === 'snapshot' && snapshot.leases.map((each) => each.subnet?.toString())).toEqual([lease.subnet?.toString()]);
  });

  it('uses a custom annotation prefix for every name', async () => {
    const h = await open();
    await h.manager({ annotationPrefix: 'example.com/foo' }).acquireLease(ATTRIBUTES);
    expect(Object.keys(annotationsOf(h)).filter((k) => k.startsWith('example.com/')).sort()).toEqual([
      'example.com/foo-backend-data',
      'example.com/foo-backend-type',
      'example.com/foo-kube-subnet-manager',
      'example.com/foo-public-ip',
    ]);
  });

  it('fails DATASTORE_AUTH_FAILED at once on 403', async () => {
    const h = await open();
    h.server.addFault({ method: 'PATCH', status: 403 });
    const error = await rejection(h.manager().acquireLease(ATTRIBUTES));
    expect(error.code).toBe('DATASTORE_AUTH_FAILED');
    expect(error.message).toContain('failed to patch node "self"');
  });

  it('leases IPv4 and IPv6 podCIDRs in dual stack and writes the v6 annotations', async () => {
    const h = await open(DUAL);
    const attributes = { ...ATTRIBUTES, publicIPv6: 'fd00::1', backendV6Data: '{"VNI":1,"VtepMAC":"aa:bb:cc:00:00:02"}' };
    const lease = await h.manager().acquireLease(attributes);
    expect([lease.subnet?.toString(), lease.ipv6Subnet?.toString()]).toEqual(['10.5.1.0/24', 'fd00:5:0:1::/64']);
    expect(annotationsOf(h)).toMatchObject({ [names.publicIPv6]: 'fd00::1', [names.backendV6Data]: attributes.backendV6Data });
  });
});

describe('createKubeSubnetManager: stored data and completeLease', () => {
  it('keeps the VTEP MAC across restarts and reads node-public-ip', async () => {
    const h = await open();
    await h.manager().acquireLease(ATTRIBUTES);
    h.server.updateNode('self', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations[names.nodePublicIP] = '10.0.0.9';
    });
    expect(await h.manager().getStoredNodeData()).toEqual({ vtepMac: MAC, publicIP: '10.0.0.9' });
  });

  it.each([
    ['nodePublicIP', '127.0.0.1', 'must not be a loopback address'],
    ['nodePublicIP', '0.0.0.0', 'must not be the unspecified address'],
    ['nodePublicIP', '224.0.0.1', 'must not be a multicast address'],
    ['nodePublicIP', '10.0.0.300', 'must be an IPv4 address'],
    ['nodePublicIPv6', 'fe80::1', 'must not be a link-local address'],
  ] as const)('refuses %s %s naming the annotation and the rule (the rule of --public-ip), before anything is patched', async (key, value, rule) => {
    const h = await open();
    h.server.updateNode('self', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations[names[key]] = value;
    });
    const error = await rejection(h.manager().getStoredNodeData());
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`node annotation ${names[key]} "${value}" is invalid: ${rule}`);
    expect(h.server.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('sets NetworkUnavailable=False once, keeping the Ready condition, then waits for its signal', async () => {
    const h = await open();
    const manager = h.manager();
    const lease = await manager.acquireLease(ATTRIBUTES);
    const controller = new AbortController();
    const running = manager.completeLease(lease, { signal: controller.signal });
    for (let i = 0; i < 100 && !h.server.requests.some((r) => r.method === 'PATCH' && JSON.stringify(h.server.getNode('self')).includes('FlannelIsUp')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const conditions = (h.server.getNode('self')?.['status'] as { conditions: { type: string; status: string; reason: string }[] }).conditions;
    expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['Ready=True', 'NetworkUnavailable=False']);
    expect(conditions[1]?.reason).toBe('FlannelIsUp');
    controller.abort();
    await running;
    expect(h.server.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual(['/api/v1/nodes/self/status', '/api/v1/nodes/self/status']);
  });

  it('logs and carries on when the condition patch fails', async () => {
    const h = await open();
    const logger = recordingLogger();
    const manager = h.manager({ logger });
    const lease = await manager.acquireLease(ATTRIBUTES);
    h.server.addFault({ method: 'PATCH', status: 500, message: 'etcd down' });
    const controller = new AbortController();
    const running = manager.completeLease(lease, { signal: controller.signal });
    for (let i = 0; i < 100 && !logger.lines.some((l) => l.startsWith('error')); i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await running;
    expect(logger.lines).toContain('error CompleteLease execute error err: etcd down');
  });
});

describe('createKubeSubnetManager: watchLeases', () => {
  it('reports annotation changes, ignores heartbeats and nodes losing kube-subnet-manager, and reports deletion', async () => {
    const h = await open();
    const controller = new AbortController();
    const iterator = h.manager().watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    try {
      expect(await next(iterator)).toEqual(['snapshot ']);
      h.putPeer('peer2', { subnet: IpNet.parse('10.5.2.0/24'), attributes: { ...ATTRIBUTES, publicIP: '192.168.0.2' } });
      expect(await next(iterator)).toEqual(['added 10.5.2.0/24@192.168.0.2']);
      h.server.updateNode('peer2', (node) => {
        (node['status'] as { conditions: { lastHeartbeatTime?: string }[] }).conditions[0]!.lastHeartbeatTime = '2026-12-04T20:00:00Z';
      }, { status: true });
      h.server.updateNode('peer2', (node) => {
        (node['metadata'] as { annotations: Record<string, string> }).annotations[names.publicIP] = '192.168.0.22';
      });
      expect(await next(iterator)).toEqual(['added 10.5.2.0/24@192.168.0.22']);
      h.server.updateNode('peer2', (node) => {
        delete (node['metadata'] as { annotations: Record<string, string> }).annotations[names.subnetKubeManaged];
      });
      h.putPeer('peer3', { subnet: IpNet.parse('10.5.3.0/24'), attributes: { ...ATTRIBUTES, publicIP: '192.168.0.3' } });
      expect(await next(iterator)).toEqual(['added 10.5.3.0/24@192.168.0.3']);
      h.server.deleteNode('peer3');
      expect(await next(iterator)).toEqual(['removed 10.5.3.0/24@192.168.0.3']);
    } finally {
      controller.abort();
      await iterator.return?.(undefined);
    }
  });

  it('takes its snapshot from every page of a paginated node list, then watches from the first page\'s version', async () => {
    const h = await open(CONFIG, undefined, { paginateLists: true });
    for (let i = 0; i < 1100; i++) {
      h.server.createNode({ name: `peer${i}`, podCIDR: `10.5.${10 + (i >> 4)}.${(i & 15) * 16}/28`, annotations: flannelAnnotations({ ...ATTRIBUTES, publicIP: `192.168.${i >> 8}.${i & 255}` }) });
    }
    const controller = new AbortController();
    const iterator = h.manager().watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    try {
      const first = await iterator.next();
      expect(first.done !== true && first.value.kind === 'snapshot' && first.value.leases.length).toBe(1100);
      const version = first.done !== true ? (first.value.cursor as { resourceVersion: string }).resourceVersion : '';
      expect(h.server.requests.filter((r) => r.path === '/api/v1/nodes' && r.query['watch'] === undefined).map((r) => r.query['continue'] !== undefined)).toEqual([false, true, true]);
      h.putPeer('late', { subnet: IpNet.parse('10.5.200.0/24'), attributes: ATTRIBUTES });
      expect(await next(iterator)).toEqual(['added 10.5.200.0/24@192.168.0.1']);
      expect(h.server.requests.find((r) => r.query['watch'] !== undefined)?.query['resourceVersion']).toBe(version);
    } finally {
      controller.abort();
      await iterator.return?.(undefined);
    }
  });

  it('skips nodes that do not convert, and peers outside Network, with a log line', async () => {
    const h = await open();
    const logger = recordingLogger();
    h.server.createNode({ name: 'broken', podCIDR: '10.5.9.0/24', annotations: { ...flannelAnnotations(ATTRIBUTES), [names.publicIP]: 'nope' } });
    h.putPeer('far', { subnet: IpNet.parse('10.99.0.0/24'), attributes: ATTRIBUTES });
    h.putPeer('good', { subnet: IpNet.parse('10.5.2.0/24'), attributes: ATTRIBUTES });
    const controller = new AbortController();
    const iterator = h.manager({ logger }).watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    expect(await next(iterator)).toEqual(['snapshot 10.5.2.0/24@192.168.0.1']);
    controller.abort();
    await iterator.return?.(undefined);
    expect(logger.lines).toContain(`info Error turning node "broken" to lease: annotation ${names.publicIP} "nope" is not an IPv4 address`);
    expect(logger.lines.some((l) => l.startsWith('warn Ignoring node "far"'))).toBe(true);
  });

  it('resumes a dropped watch with no missed or duplicated node, and re-lists after 410 into a snapshot', async () => {
    const h = await open();
    const controller = new AbortController();
    const iterator = h.manager().watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    try {
      await next(iterator);
      h.putPeer('a', { subnet: IpNet.parse('10.5.2.0/24'), attributes: ATTRIBUTES });
      expect(await next(iterator)).toEqual(['added 10.5.2.0/24@192.168.0.1']);
      h.server.dropWatches();
      h.putPeer('b', { subnet: IpNet.parse('10.5.3.0/24'), attributes: ATTRIBUTES });
      expect(await next(iterator)).toEqual(['added 10.5.3.0/24@192.168.0.1']);
      h.server.dropWatches();
      h.putPeer('c', { subnet: IpNet.parse('10.5.4.0/24'), attributes: ATTRIBUTES });
      h.server.expireHistory();
      expect(await next(iterator)).toEqual(['snapshot 10.5.2.0/24@192.168.0.1,10.5.3.0/24@192.168.0.1,10.5.4.0/24@192.168.0.1']);
    } finally {
      controller.abort();
      await iterator.return?.(undefined);
    }
  });

  it('rides out an API server outage after the first sync and catches up when it is back', async () => {
    const h = await open();
    const logger = recordingLogger();
    const controller = new AbortController();
    const iterator = h.manager({ logger }).watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    try {
      expect(await next(iterator)).toEqual(['snapshot ']);
      const pending = next(iterator);
      for (let i = 0; i < 200 && h.server.openWatches() === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const outage = h.server.addFault({ status: 0 });
      h.server.dropWatches();
      const failures = (): number => logger.lines.filter((l) => l.includes('watch of nodes failed')).length;
      for (let i = 0; i < 300 && failures() < 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(failures()).toBeGreaterThanOrEqual(3);
      h.putPeer('during', { subnet: IpNet.parse('10.5.5.0/24'), attributes: ATTRIBUTES });
      outage();
      expect(await pending).toEqual(['added 10.5.5.0/24@192.168.0.1']);
    } finally {
      controller.abort();
      await iterator.return?.(undefined);
    }
  });

  it('reports a v4-only change of a dual-stack peer (flannel drops it)', async () => {
    const h = await open(DUAL);
    const dual = { ...ATTRIBUTES, publicIPv6: 'fd00::2', backendV6Data: '{"VNI":1,"VtepMAC":"aa:bb:cc:00:00:02"}' };
    h.putPeer('p', { subnet: IpNet.parse('10.5.2.0/24'), ipv6Subnet: IpNet.parse('fd00:5:0:2::/64'), attributes: dual });
    const controller = new AbortController();
    const iterator = h.manager().watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    try {
      expect(await next(iterator)).toEqual(['snapshot 10.5.2.0/24@192.168.0.1']);
      h.server.updateNode('p', (node) => {
        (node['metadata'] as { annotations: Record<string, string> }).annotations[names.publicIP] = '192.168.0.5';
      });
      expect(await next(iterator)).toEqual(['added 10.5.2.0/24@192.168.0.5']);
    } finally {
      controller.abort();
      await iterator.return?.(undefined);
    }
  });

  it('fails after the sync timeout when no list arrives, and at once on 401', async () => {
    const h = await open();
    const removeFault = h.server.addFault({ path: '/api/v1/nodes', status: 503 });
    const slow = h.manager({ syncTimeoutMs: 300 }).watchLeases({ signal: new AbortController().signal })[Symbol.asyncIterator]();
    const timeout = await rejection(slow.next());
    expect(timeout.code).toBe('DATASTORE_UNAVAILABLE');
    expect(timeout.message).toMatch(/^error waiting for nodeController to sync state/);
    removeFault();
    h.server.addFault({ path: '/api/v1/nodes', status: 401 });
    const denied = h.manager().watchLeases({ signal: new AbortController().signal })[Symbol.asyncIterator]();
    expect((await rejection(denied.next())).code).toBe('DATASTORE_AUTH_FAILED');
  });

  it('makes no list or watch request at all for the alloc backend', async () => {
    const h = await open('{"Network":"10.5.0.0/16","Backend":{"Type":"alloc"}}');
    const manager = h.manager();
    const lease = await manager.acquireLease({ publicIP: '192.168.0.1' });
    expect(lease.subnet?.toString()).toBe('10.5.1.0/24');
    const controller = new AbortController();
    const iterator = manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    expect(await next(iterator)).toEqual(['snapshot ']);
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
    expect(h.server.requests.filter((r) => r.path === '/api/v1/nodes')).toEqual([]);
  });
});
