// Test-only: the three patch types an API server accepts (`k8s.io/apimachinery` jsonpatch, JSON merge
// patch and a strategic-merge-patch subset), applied to plain JSON values.

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Thrown for a patch that cannot apply; the server answers 422 (JSON patch `test` failure) or 400. */
export class PatchError extends Error {
  override readonly name = 'PatchError';
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge recursively, `null` deletes,
 * anything else (arrays included) replaces.
 *
 * @example
 * ```ts
 * applyMergePatch({ a: { b: 1, c: 2 } }, { a: { c: null, d: 3 } }) // { a: { b: 1, d: 3 } }
 * ```
 */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key] ?? null, value);
  }
  return result;
}

/** Merge keys of lists that merge instead of replacing under strategic merge, by dotted path. */
export type MergeKeys = Readonly<Record<string, string>>;

/** The list merge keys of a Node (`patchMergeKey` tags of `k8s.io/api/core/v1` `NodeStatus`). */
export const NODE_MERGE_KEYS: MergeKeys = { 'status.conditions': 'type', 'status.addresses': 'type' };

/**
 * The subset of strategic merge patch flannel and kubectl send: maps merge recursively, `null` deletes,
 * `$setElementOrder/*` and `$retainKeys` directives are ignored, lists replace unless their path has a
 * merge key (then elements merge by that key, and `{"$patch":"delete", key: …}` removes one).
 *
 * @example
 * ```ts
 * applyStrategicMergePatch(node, { status: { conditions: [{ type: 'NetworkUnavailable', status: 'False' }] } }, NODE_MERGE_KEYS)
 * ```
 */
export function applyStrategicMergePatch(target: Json, patch: Json, mergeKeys: MergeKeys = {}, path = ''): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$retainKeys' || key === '$patch') continue;
    const childPath = path === '' ? key : `${path}.${key}`;
    if (value === null) {
      delete result[key];
      continue;
    }
    const mergeKey = mergeKeys[childPath];
    if (Array.isArray(value) && mergeKey !== undefined) {
      result[key] = mergeList(Array.isArray(result[key]) ? (result[key] as Json[]) : [], value, mergeKey, mergeKeys, childPath);
    } else {
      result[key] = applyStrategicMergePatch(result[key] ?? null, value, mergeKeys, childPath);
    }
  }
  return result;
}

function mergeList(current: Json[], patch: Json[], mergeKey: string, mergeKeys: MergeKeys, path: string): Json[] {
  const result = current.map((each) => structuredClone(each));
  for (const element of patch) {
    if (!isObject(element) || element[mergeKey] === undefined) throw new PatchError(`${path}: element has no merge key "${mergeKey}"`);
    const index = result.findIndex((each) => isObject(each) && each[mergeKey] === element[mergeKey]);
    if (element['$patch'] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = applyStrategicMergePatch(result[index]!, element, mergeKeys, path);
    else result.push(applyStrategicMergePatch(null, element, mergeKeys, path));
  }
  return result;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`JSON pointer "${pointer}" must start with "/"`);
  return pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parent(document: Json, tokens: string[], op: string): { container: Json[] | Record<string, Json>; key: string } {
  let current: Json = document;
  for (const token of tokens.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(current) ? current[Number(token)] : isObject(current) ? current[token] : undefined;
    if (next === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}`);
    current = next;
  }
  if (!Array.isArray(current) && !isObject(current)) throw new PatchError(`${op} operation does not apply: /${tokens.join('/')} is not in a container`);
  return { container: current, key: tokens.at(-1)! };
}

function read(document: Json, tokens: string[], op: string): Json {
  let current: Json | undefined = document;
  for (const token of tokens) {
    current = Array.isArray(current) ? current[Number(token)] : isObject(current) ? current[token] : undefined;
    if (current === undefined) throw new PatchError(`${op} operation does not apply: doc is missing path: /${tokens.join('/')}`);
  }
  return current;
}

function remove(document: Json, tokens: string[], op: string): Json {
  const { container, key } = parent(document, tokens, op);
  if (Array.isArray(container)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= container.length) throw new PatchError(`${op} operation does not apply: index ${key} is out of range`);
    return container.splice(index, 1)[0]!;
  }
  if (!(key in container)) throw new PatchError(`${op} operation does not apply: doc is missing key: /${tokens.join('/')}`);
  const value = container[key]!;
  delete container[key];
  return value;
}

function add(document: Json, tokens: string[], value: Json, op: string): Json {
  if (tokens.length === 0) return value;
  const { container, key } = parent(document, tokens, op);
  if (Array.isArray(container)) {
    const index = key === '-' ? container.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > container.length) throw new PatchError(`${op} operation does not apply: index ${key} is out of range`);
    container.splice(index, 0, value);
  } else {
    container[key] = value;
  }
  return document;
}

/**
 * RFC 6902 JSON patch (`application/json-patch+json`): `add`, `remove`, `replace`, `move`, `copy`, `test`.
 *
 * @example
 * ```ts
 * applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }]) // { a: [1, 2] }
 * ```
 */
export function applyJsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be a list of operations');
  let document = structuredClone(target);
  for (const operation of operations) {
    if (!isObject(operation) || typeof operation['op'] !== 'string' || typeof operation['path'] !== 'string') {
      throw new PatchError('each JSON patch operation needs string "op" and "path"');
    }
    const op = operation['op'];
    const tokens = parsePointer(operation['path']);
    const value = operation['value'];
    switch (op) {
      case 'add':
        if (value === undefined) throw new PatchError('add operation needs a "value"');
        document = add(document, tokens, structuredClone(value), op);
        break;
      case 'remove':
        remove(document, tokens, op);
        break;
      case 'replace':
        if (value === undefined) throw new PatchError('replace operation needs a "value"');
        if (tokens.length === 0) document = structuredClone(value);
        else {
          remove(document, tokens, op);
          document = add(document, tokens, structuredClone(value), op);
        }
        break;
      case 'move':
      case 'copy': {
        if (typeof operation['from'] !== 'string') throw new PatchError(`${op} operation needs a "from"`);
        const from = parsePointer(operation['from']);
        const moved = op === 'move' ? remove(document, from, op) : structuredClone(read(document, from, op));
        document = add(document, tokens, moved, op);
        break;
      }
      case 'test':
        if (JSON.stringify(read(document, tokens, op)) !== JSON.stringify(value)) {
          throw new PatchError(`testing value /${tokens.join('/')} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(`unexpected kind of JSON patch operation: ${op}`);
    }
  }
  return document;
}
