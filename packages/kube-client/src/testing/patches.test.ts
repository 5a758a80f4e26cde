import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, NODE_MERGE_KEYS, PatchError } from './patches.js';

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces lists', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({ a: { b: 1, d: 3 }, l: [3] });
  });
});

describe('applyStrategicMergePatch', () => {
  const node = { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }] }, spec: { taints: [{ key: 'a' }] } };

  it('merges Node conditions by type and keeps the others', () => {
    const patched = applyStrategicMergePatch(node, { status: { conditions: [{ type: 'NetworkUnavailable', status: 'False' }, { type: 'Ready', status: 'False' }] } }, NODE_MERGE_KEYS);
    expect(patched).toEqual({
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }, { type: 'NetworkUnavailable', status: 'False' }] },
      spec: { taints: [{ key: 'a' }] },
    });
  });

  it('replaces lists without a merge key, honours $patch: delete and ignores $setElementOrder', () => {
    const patched = applyStrategicMergePatch(
      node,
      { spec: { taints: [{ key: 'b' }] }, status: { '$setElementOrder/conditions': [{ type: 'Ready' }], conditions: [{ type: 'MemoryPressure', $patch: 'delete' }] } },
      NODE_MERGE_KEYS,
    );
    expect(patched).toEqual({ status: { conditions: [{ type: 'Ready', status: 'True' }] }, spec: { taints: [{ key: 'b' }] } });
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  it('applies add, remove, replace, move, copy and test with escaped pointers', () => {
    const patched = applyJsonPatch({ metadata: { annotations: { 'a/b': 'x' } }, l: [1] }, [
      { op: 'test', path: '/metadata/annotations/a~1b', value: 'x' },
      { op: 'add', path: '/l/-', value: 2 },
      { op: 'replace', path: '/l/0', value: 0 },
      { op: 'copy', from: '/l', path: '/m' },
      { op: 'move', from: '/metadata/annotations/a~1b', path: '/metadata/annotations/c' },
      { op: 'remove', path: '/m/0' },
    ]);
    expect(patched).toEqual({ metadata: { annotations: { c: 'x' } }, l: [0, 2], m: [2] });
  });

  it('fails a test operation and a missing path', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(PatchError);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(/missing/);
  });
});
