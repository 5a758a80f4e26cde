// The stand-in checked by a client nobody here wrote: Debian's python3-kubernetes (run with /usr/bin/python3,
// which sees Debian's dist-packages; a pyenv python3 on PATH would not).
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './index.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

function havePythonKubernetes(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PRELUDE = `
import json, sys
from kubernetes import client, watch
configuration = client.Configuration()
configuration.host = sys.argv[1]
api = client.CoreV1Api(client.ApiClient(configuration))
`;

let server: FakeKubeApiServer;

async function python(script: string): Promise<unknown> {
  const { stdout } = await run(PYTHON, ['-c', PRELUDE + script, server.url], { timeout: 60_000 });
  return JSON.parse(stdout);
}

describe.skipIf(!havePythonKubernetes())('stand-in fidelity: python3-kubernetes', () => {
  beforeEach(async () => {
    server = await startFakeKubeApiServer();
    server.createNode({ name: 'node1', podCIDR: '10.244.1.0/24' });
    server.createNode({ name: 'node2', podCIDRs: ['10.244.2.0/24', 'fd00:10:244:2::/64'] });
  });
  afterEach(async () => {
    await server.close();
  });

  it('lists and reads nodes into typed models', async () => {
    const result = await python(`
nodes = api.list_node()
one = api.read_node('node2')
print(json.dumps({'names': [n.metadata.name for n in nodes.items], 'rv': nodes.metadata.resource_version, 'cidrs': one.spec.pod_cid_rs}))
`);
    expect(result).toEqual({ names: ['node1', 'node2'], rv: String(server.resourceVersion), cidrs: ['10.244.2.0/24', 'fd00:10:244:2::/64'] });
  });

  it('patches node status with a strategic merge patch and gets 404 as ApiException', async () => {
    const result = await python(`
api.patch_node_status('node1', {'metadata': {'annotations': {'flannel.alpha.coreos.com/public-ip': '192.168.0.1'}},
  'status': {'conditions': [{'type': 'NetworkUnavailable', 'status': 'False', 'reason': 'FlannelIsUp', 'message': 'Flannel is running on this node'}]}})
node = api.read_node('node1')
try:
    api.read_node('ghost')
    status = None
except client.rest.ApiException as e:
    status = [e.status, json.loads(e.body)['reason']]
print(json.dumps({'ann': node.metadata.annotations['flannel.alpha.coreos.com/public-ip'], 'types': [c.type for c in node.status.conditions], 'missing': status}))
`);
    expect(result).toEqual({ ann: '192.168.0.1', types: ['Ready', 'NetworkUnavailable'], missing: [404, 'NotFound'] });
    expect(server.requests.find((r) => r.method === 'PATCH')?.contentType).toBe('application/strategic-merge-patch+json');
  });

  it('watches with watch=True from a resourceVersion and sees later changes only', async () => {
    const from = server.resourceVersion;
    server.updateNode('node2', (node) => {
      (node['metadata'] as { annotations: Record<string, string> }).annotations['x'] = 'y';
    });
    server.deleteNode('node1');
    const result = await python(`
events = []
for event in watch.Watch().stream(api.list_node, resource_version='${from}', timeout_seconds=1):
    events.append([event['type'], event['object'].metadata.name])
print(json.dumps(events))
`);
    expect(result).toEqual([['MODIFIED', 'node2'], ['DELETED', 'node1']]);
    expect(server.requests.find((r) => r.query['watch'] !== undefined)?.query['watch']).toBe('True');
  });
});
