import { describe, expect, it } from 'vitest';
import { projectNode, type KubeNode } from './kube-node.js';
import { MAX_LIST_VALUE_BYTES, NodeListDecoder } from './node-list-decoder.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

const NODE_A = {
  kind: 'Node',
  metadata: {
    name: 'a',
    uid: 'u-a',
    resourceVersion: '7',
    labels: { 'kubernetes.io/hostname': 'a', 'x}': '{[' },
    annotations: { 'x/y': '{"VtepMAC":"aa"}', 'flannel.alpha.coreos.com/public-ip': '10.0.0.1', 'flannel.alpha.coreos.com/backend-data': '{"VNI":1,"VtepMAC":"0e:2a:00:00:00:01"}' },
    managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {} } } }, n: -1.5e3, t: true, f: false, z: null }],
  },
  spec: { podCIDR: '10.0.1.0/24', podCIDRs: ['10.0.1.0/24', 'fd00::/64'], providerID: 'aws:///x' },
  status: { images: [{ names: ['x', 'y'], sizeBytes: 10 }], conditions: [] },
};
const NODE_B = { metadata: { name: 'b\\"}é', annotations: { 'flannel.alpha.coreos.com/backend-type': 'vxlan ☃' } }, status: { images: [{ names: ['x', 'y'] }] } };

const LIST = JSON.stringify({
  kind: 'NodeList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '42', note: 'a "quoted" ] } [ {' },
  items: [NODE_A, NODE_B],
  trailer: { items: [{ not: 'an item' }] },
});

function decode(chunks: Uint8Array[], annotationPrefix?: string): { nodes: KubeNode[]; metadata: Record<string, unknown> } {
  const nodes: KubeNode[] = [];
  const decoder = new NodeListDecoder({ onItem: (item) => nodes.push(projectNode(item)), ...(annotationPrefix !== undefined && { annotationPrefix }) });
  for (const chunk of chunks) decoder.write(chunk);
  return { nodes, metadata: decoder.end().metadata };
}

describe('NodeListDecoder', () => {
  it('keeps of each Node what projectNode keeps from the whole object, and the top-level metadata', () => {
    const { nodes, metadata } = decode([bytes(LIST)]);
    expect(nodes).toEqual(JSON.parse(LIST).items.map(projectNode));
    expect(metadata).toEqual(JSON.parse(LIST).metadata);
  });

  it('keeps only the annotations with the given prefix', () => {
    const { nodes } = decode([bytes(LIST)], 'flannel.alpha.coreos.com/');
    expect(nodes[0]!.annotations).toEqual({
      'flannel.alpha.coreos.com/public-ip': '10.0.0.1',
      'flannel.alpha.coreos.com/backend-data': '{"VNI":1,"VtepMAC":"0e:2a:00:00:00:01"}',
    });
    expect(nodes[1]!.annotations).toEqual({ 'flannel.alpha.coreos.com/backend-type': 'vxlan ☃' });
  });

  it('gives the same result whatever the chunk boundaries, multi-byte characters included', () => {
    const whole = decode([bytes(LIST)]);
    const all = bytes(LIST);
    for (let cut = 1; cut < all.length; cut++) {
      expect(decode([all.subarray(0, cut), all.subarray(cut)])).toEqual(whole);
    }
    expect(decode([...all].map((byte) => Uint8Array.of(byte)))).toEqual(whole);
  });

  it('resolves escapes in member names and values', () => {
    const text = '{"metadata":{"resourceVersion":"1"},"it\\u0065ms":[{"meta\\u0064ata":{"n\\u0061me":"n\\u00e9","annotations":{"p/\\u0061":"\\"v\\""}},"spec":{"podCIDR":"10.0.0.0/24"}}]}';
    const { nodes } = decode([bytes(text)], 'p/');
    expect(nodes).toEqual([{ name: 'né', resourceVersion: '', annotations: { 'p/a': '"v"' }, podCIDR: '10.0.0.0/24', podCIDRs: [] }]);
  });

  it('accepts an empty, null or missing items list and whitespace around the values', () => {
    expect(decode([bytes('{"kind":"NodeList","metadata":{"resourceVersion":"1"},"items":[]}')]).nodes).toEqual([]);
    expect(decode([bytes(' {\n "items" : null , "metadata" : {"resourceVersion":"1"} }\n')]).metadata).toEqual({ resourceVersion: '1' });
    expect(decode([bytes('{"metadata":{"resourceVersion":"1"}}')]).metadata).toEqual({ resourceVersion: '1' });
  });

  it('hands a Node whose kept fields have the wrong type to projectNode, which names the field', () => {
    expect(() => decode([bytes('{"items":[{"metadata":{"name":"n","annotations":{"k":5}}}]}')])).toThrow(/metadata\.annotations\["k"\] must be a string/);
    expect(() => decode([bytes('{"items":[{"metadata":{"name":"n"},"spec":{"podCIDRs":"x"}}]}')])).toThrow(/spec\.podCIDRs must be a list of strings/);
    expect(() => decode([bytes('{"items":[5]}')])).toThrow(/Node object must be an object/);
    expect(() => decode([bytes('{"items":[{"metadata":[1]}]}')])).toThrow(/metadata must be an object/);
  });

  it('does not check the annotations it drops', () => {
    const { nodes } = decode([bytes('{"items":[{"metadata":{"name":"n","annotations":{"other/k":5,"p/k":"v"}}}]}')], 'p/');
    expect(nodes[0]!.annotations).toEqual({ 'p/k': 'v' });
  });

  it('rejects a truncated response wherever it is cut', () => {
    const all = bytes(LIST);
    for (const cut of [0, 1, 20, 60, Math.floor(all.length / 2), all.length - 1]) {
      expect(() => decode([all.subarray(0, cut)]), `cut at ${cut}`).toThrow(/ended before/);
    }
  });

  it('rejects a response that is not an object, or has data after it', () => {
    expect(() => decode([bytes('[1,2]')])).toThrow(/not a JSON object/);
    expect(() => decode([bytes('{"items":[]} {}')])).toThrow(/data after its closing bracket/);
  });

  it('rejects malformed JSON in skipped members', () => {
    const bad = [
      '{"items":[{"metadata":{"name":"n"},"status":{"a" 1}}]}',
      '{"items":[{"metadata":{"name":"n"},"status":[1,]}]}',
      '{"items":[{"metadata":{"name":"n"},"status":{"a":[1}}}]}',
      '{"items":[{"metadata":{"name":"n"},"status":{"a":tru}}]}',
      '{"items":[{"metadata":{"name":"n"},"status":{"a":"x\ny"}}]}',
      '{"items":[{"metadata":{"name":"n"}},]}',
      '{"items":[{"metadata":{"name":"n"}} {"metadata":{"name":"m"}}]}',
      '{"kind":"NodeList" "items":[]}',
    ];
    for (const text of bad) expect(() => decode([bytes(text)]), text).toThrow(/not valid JSON|Node/);
  });

  it('rejects nesting deeper than 256 instead of overflowing the stack', () => {
    const deep = (depth: number): string => `{"items":[{"metadata":{"name":"n"},"status":${'['.repeat(depth)}${']'.repeat(depth)}}]}`;
    expect(decode([bytes(deep(255))]).nodes).toHaveLength(1);
    expect(() => decode([bytes(deep(100_000))])).toThrow(/nested deeper than 256/);
  });

  it('reads a huge string arriving in small chunks, and rejects a value over the size limit', () => {
    const big = 'x'.repeat(3 << 20);
    const text = bytes(`{"items":[{"metadata":{"name":"n","annotations":{"p/k":"${big}"}},"status":{"s":"${big}"}}]}`);
    const chunks: Uint8Array[] = [];
    for (let offset = 0; offset < text.length; offset += 16_384) chunks.push(text.subarray(offset, offset + 16_384));
    expect(decode(chunks, 'p/').nodes[0]!.annotations['p/k']).toHaveLength(3 << 20);
    // A server that keeps sending one string: rejected once the limit is passed, not when the stream ends.
    const huge = bytes(`{"items":[{"status":"${'y'.repeat(MAX_LIST_VALUE_BYTES + (1 << 20))}`);
    const pieces: Uint8Array[] = [];
    for (let offset = 0; offset < huge.length; offset += 1 << 20) pieces.push(huge.subarray(offset, offset + (1 << 20)));
    const decoder = new NodeListDecoder({ onItem: () => undefined });
    expect(() => pieces.forEach((piece) => decoder.write(piece))).toThrow(/larger than/);
  });
});
