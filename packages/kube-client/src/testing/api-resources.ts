// Test-only: the resources the stand-in serves, with what discovery and OpenAPI say about them.
import { NODE_MERGE_KEYS, type MergeKeys } from './patches.js';

/** One served resource (an `APIResource` of discovery). */
export interface ApiResource {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural name: `nodes`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Subresources served (`status`). */
  readonly subresources: readonly string[];
  /** Strategic-merge list keys. */
  readonly mergeKeys: MergeKeys;
  /** Top-level fields of the kind; others are refused with `fieldValidation=Strict`. */
  readonly fields: readonly string[];
}

const OBJECT = ['apiVersion', 'kind', 'metadata'];

/** Every resource of the stand-in: what flanneld, kubectl (`describe node` reads events and node leases) and kube-flannel.yml touch. */
export const API_RESOURCES: readonly ApiResource[] = [
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['status'], mergeKeys: NODE_MERGE_KEYS, fields: [...OBJECT, 'spec', 'status'] },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'], mergeKeys: {}, fields: [...OBJECT, 'spec', 'status'] },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], subresources: ['status'], mergeKeys: { 'status.conditions': 'type' }, fields: [...OBJECT, 'spec', 'status'] },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], subresources: [], mergeKeys: {}, fields: [...OBJECT, 'data', 'binaryData', 'immutable'] },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], subresources: [], mergeKeys: {}, fields: [...OBJECT, 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'series', 'action', 'related', 'reportingComponent', 'reportingInstance'] },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], subresources: [], mergeKeys: {}, fields: [...OBJECT, 'secrets', 'imagePullSecrets', 'automountServiceAccountToken'] },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], subresources: ['status'], mergeKeys: {}, fields: [...OBJECT, 'spec', 'status'] },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true, shortNames: [], subresources: [], mergeKeys: {}, fields: [...OBJECT, 'spec'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, shortNames: [], subresources: [], mergeKeys: {}, fields: [...OBJECT, 'rules', 'aggregationRule'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, shortNames: [], subresources: [], mergeKeys: {}, fields: [...OBJECT, 'roleRef', 'subjects'] },
];

/** `apiVersion` of a resource: `v1` or `apps/v1`. */
export function apiVersionOf(resource: ApiResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The discovery path of a group-version: `api/v1` or `apis/apps/v1` (no leading slash, as OpenAPI v3 keys it). */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** `GET /api`: `APIVersions`. */
export function apiVersionsBody(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** `GET /apis`: `APIGroupList` of the non-core groups. */
export function apiGroupListBody(): unknown {
  const groups = [...new Set(API_RESOURCES.filter((r) => r.group !== '').map((r) => `${r.group}/${r.version}`))].map((groupVersion) => {
    const [name, version] = groupVersion.split('/') as [string, string];
    const entry = { groupVersion, version };
    return { name, versions: [entry], preferredVersion: entry };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/<group>`: `APIGroup`, or `undefined` for an unknown group. */
export function apiGroupBody(group: string): unknown {
  const resource = API_RESOURCES.find((r) => r.group === group);
  if (resource === undefined) return undefined;
  const entry = { groupVersion: `${group}/${resource.version}`, version: resource.version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [entry], preferredVersion: entry };
}

/** `GET /api/v1` or `/apis/<g>/<v>`: `APIResourceList`, or `undefined` for an unknown group-version. */
export function apiResourceListBody(group: string, version: string): unknown {
  const resources = API_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: resources.flatMap((r) => [
      { name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: VERBS, ...(r.shortNames.length > 0 && { shortNames: r.shortNames }) },
      ...r.subresources.map((sub) => ({ name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] })),
    ]),
  };
}

/** `GET /openapi/v3`: the group-version index kubectl reads before validating. */
export function openApiIndexBody(): unknown {
  const paths: Record<string, unknown> = {};
  for (const r of API_RESOURCES) {
    const key = groupVersionPath(r.group, r.version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=0123` };
  }
  return { paths };
}

/**
 * `GET /openapi/v3/<gv>`: the minimum kubectl 1.32 needs to hand validation to the server (a `patch`
 * operation per kind carrying `x-kubernetes-group-version-kind` and a `fieldValidation` parameter).
 */
export function openApiGroupVersionBody(path: string): unknown {
  const resources = API_RESOURCES.filter((r) => groupVersionPath(r.group, r.version) === path);
  if (resources.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${r.kind}`,
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}
