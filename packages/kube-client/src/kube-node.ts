import { KubeError } from './kube-error.js';

/**
 * What flannel needs of a `Node` (`pkg/subnet/kube/kube.go` reads nothing else): its name, resourceVersion,
 * annotations and pod CIDRs. Lists and watches keep only this, so 5,000 Nodes of 10 KB each never sit in
 * memory whole.
 */
export interface KubeNode {
  readonly name: string;
  readonly uid?: string;
  readonly resourceVersion: string;
  /** `metadata.annotations`; `{}` when the Node has none (flannel would panic on a nil map). */
  readonly annotations: Readonly<Record<string, string>>;
  /** `spec.podCIDR`; `''` when unset. */
  readonly podCIDR: string;
  /** `spec.podCIDRs`; `[]` when unset. */
  readonly podCIDRs: readonly string[];
}

function fail(where: string, rule: string): never {
  throw new KubeError('PROTOCOL', `Node ${where} ${rule}`);
}

function map(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(where, 'must be an object');
  return value as Record<string, unknown>;
}

/**
 * Projects a parsed `Node` object onto {@link KubeNode}, checking the shape of every field it keeps
 * (a string name, string annotation values, string CIDRs).
 *
 * @example
 * ```ts
 * projectNode(JSON.parse('{"metadata":{"name":"n1","resourceVersion":"7"},"spec":{"podCIDR":"10.244.1.0/24"}}'))
 * // { name: 'n1', resourceVersion: '7', annotations: {}, podCIDR: '10.244.1.0/24', podCIDRs: [] }
 * ```
 */
export function projectNode(object: unknown): KubeNode {
  const root = map(object, 'object') ?? fail('object', 'must be an object');
  const metadata = map(root['metadata'], 'metadata') ?? fail('metadata', 'is missing');
  const name = metadata['name'];
  if (typeof name !== 'string' || name === '') fail('metadata.name', 'must be a non-empty string');
  const where = `"${name}"`;
  const resourceVersion = metadata['resourceVersion'] ?? '';
  if (typeof resourceVersion !== 'string') fail(`${where} metadata.resourceVersion`, 'must be a string');
  const uid = metadata['uid'];
  const rawAnnotations = map(metadata['annotations'], `${where} metadata.annotations`) ?? {};
  const annotations: Record<string, string> = {};
  for (const key of Object.keys(rawAnnotations)) {
    const value = rawAnnotations[key];
    if (typeof value !== 'string') fail(`${where} metadata.annotations["${key}"]`, 'must be a string');
    annotations[key] = value;
  }
  const spec = map(root['spec'], `${where} spec`) ?? {};
  const podCIDR = spec['podCIDR'] ?? '';
  if (typeof podCIDR !== 'string') fail(`${where} spec.podCIDR`, 'must be a string');
  const rawCidrs = spec['podCIDRs'] ?? [];
  if (!Array.isArray(rawCidrs) || rawCidrs.some((each) => typeof each !== 'string')) fail(`${where} spec.podCIDRs`, 'must be a list of strings');
  return {
    name,
    ...(typeof uid === 'string' && { uid }),
    resourceVersion,
    annotations,
    podCIDR,
    podCIDRs: rawCidrs as string[],
  };
}
