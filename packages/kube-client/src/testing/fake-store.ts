// Test-only: the stand-in's object store — a global resourceVersion, a bounded event history for watches,
// and the Node rules of the real API server (podCIDR mirroring and immutability, status/main split).
import { randomUUID } from 'node:crypto';
import { kubeStatus, type KubeStatus } from '../kube-status.js';
import { apiVersionOf, type ApiResource } from './api-resources.js';
import type { Json } from './patches.js';

/** A stored object. */
export type KubeObject = { [key: string]: Json };

/** One change, as watches see it. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: ApiResource;
  readonly namespace: string;
  readonly object: KubeObject;
  readonly resourceVersion: number;
}

/** An error the HTTP layer turns into a `Status` response. */
export class StatusError extends Error {
  readonly status: KubeStatus;
  constructor(status: KubeStatus) {
    super(status.message);
    this.status = status;
  }
}

function metadataOf(object: KubeObject): { [key: string]: Json } {
  const metadata = object['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    object['metadata'] = {};
    return object['metadata'] as { [key: string]: Json };
  }
  return metadata;
}

function specOf(object: KubeObject): { [key: string]: Json } {
  const spec = object['spec'];
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? spec : {};
}

const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

function invalid(resource: ApiResource, name: string, field: string, detail: string): StatusError {
  return new StatusError(
    kubeStatus(422, 'Invalid', `${resource.kind} "${name}" is invalid: ${field}: ${detail}`, {
      name,
      group: resource.group,
      kind: resource.kind,
      causes: [{ reason: `FieldValue${detail.split(':')[0]!.replace(/ /g, '')}`, message: detail, field }],
    }),
  );
}

/** The stand-in's objects, history and watchers; all methods are synchronous. */
export class FakeStore {
  readonly #objects = new Map<string, KubeObject>();
  #history: StoreEvent[] = [];
  readonly #historySize: number;
  #resourceVersion = 100;
  /** Watches from a version below this get `410 Expired`. */
  #oldestWatchable = 100;
  readonly #listeners = new Set<(event: StoreEvent) => void>();

  constructor(historySize: number) {
    this.#historySize = historySize;
  }

  /** The global `resourceVersion` (bumped on every write). */
  get resourceVersion(): number {
    return this.#resourceVersion;
  }

  /** The smallest version a watch may start from without `410`. */
  get oldestWatchable(): number {
    return this.#oldestWatchable;
  }

  #key(resource: ApiResource, namespace: string, name: string): string {
    return `${resource.group}/${resource.resource}/${namespace}/${name}`;
  }

  get(resource: ApiResource, namespace: string, name: string): KubeObject | undefined {
    const found = this.#objects.get(this.#key(resource, namespace, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  /** Reads or throws the API server's `NotFound`. */
  require(resource: ApiResource, namespace: string, name: string): KubeObject {
    const found = this.get(resource, namespace, name);
    if (found === undefined) {
      throw new StatusError(kubeStatus(404, 'NotFound', `${resource.resource} "${name}" not found`, { name, kind: resource.resource }));
    }
    return found;
  }

  list(resource: ApiResource, namespace: string | undefined): KubeObject[] {
    const prefix = `${resource.group}/${resource.resource}/${namespace ?? ''}`;
    const out: KubeObject[] = [];
    for (const [key, object] of this.#objects) {
      if (namespace === undefined ? key.startsWith(`${resource.group}/${resource.resource}/`) : key.startsWith(`${prefix}/`)) out.push(structuredClone(object));
    }
    return out;
  }

  create(resource: ApiResource, namespace: string, input: KubeObject): KubeObject {
    const object = structuredClone(input);
    const metadata = metadataOf(object);
    const name = metadata['name'];
    if (typeof name !== 'string' || name === '') {
      throw invalid(resource, '', 'metadata.name', 'Required value: name or generateName is required');
    }
    if (this.#objects.has(this.#key(resource, namespace, name))) {
      throw new StatusError(kubeStatus(409, 'AlreadyExists', `${resource.resource} "${name}" already exists`, { name, kind: resource.resource }));
    }
    if (resource.namespaced) metadata['namespace'] = namespace;
    object['apiVersion'] = apiVersionOf(resource);
    object['kind'] = resource.kind;
    metadata['uid'] = randomUUID();
    metadata['creationTimestamp'] = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.#validate(resource, name, object, undefined);
    return this.#write(resource, namespace, name, object, 'ADDED');
  }

  /**
   * Replaces an object after an update or patch. `subresource` `status` keeps the old `spec` (the node
   * status strategy); the main resource keeps the old `status` when the kind has a status subresource.
   */
  update(resource: ApiResource, namespace: string, name: string, input: KubeObject, subresource: string | undefined): KubeObject {
    const old = this.require(resource, namespace, name);
    const object = structuredClone(input);
    const metadata = metadataOf(object);
    const oldMetadata = metadataOf(old);
    const precondition = metadata['resourceVersion'];
    if (precondition !== undefined && precondition !== null && precondition !== '' && precondition !== oldMetadata['resourceVersion']) {
      throw new StatusError(
        kubeStatus(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, kind: resource.resource },
        ),
      );
    }
    if (metadata['name'] !== undefined && metadata['name'] !== name) throw invalid(resource, name, 'metadata.name', 'Invalid value: field is immutable');
    metadata['name'] = name;
    for (const kept of ['uid', 'creationTimestamp', 'namespace'] as const) {
      if (oldMetadata[kept] !== undefined) metadata[kept] = oldMetadata[kept]!;
    }
    object['apiVersion'] = apiVersionOf(resource);
    object['kind'] = resource.kind;
    if (subresource === 'status') {
      if (old['spec'] === undefined) delete object['spec'];
      else object['spec'] = old['spec']!;
    } else if (resource.subresources.includes('status')) {
      if (old['status'] === undefined) delete object['status'];
      else object['status'] = old['status']!;
    }
    this.#validate(resource, name, object, old);
    return this.#write(resource, namespace, name, object, 'MODIFIED');
  }

  delete(resource: ApiResource, namespace: string, name: string): KubeObject {
    const old = this.require(resource, namespace, name);
    this.#objects.delete(this.#key(resource, namespace, name));
    this.#resourceVersion += 1;
    metadataOf(old)['resourceVersion'] = String(this.#resourceVersion);
    this.#record({ type: 'DELETED', resource, namespace, object: old, resourceVersion: this.#resourceVersion });
    return structuredClone(old);
  }

  /** Events after `resourceVersion` of a resource, oldest first. */
  historySince(resource: ApiResource, resourceVersion: number): StoreEvent[] {
    return this.#history.filter((event) => event.resource === resource && event.resourceVersion > resourceVersion);
  }

  /** Forgets all history: a watch from any version before now gets `410 Expired` (an etcd compaction). */
  expireHistory(): void {
    this.#history = [];
    this.#oldestWatchable = this.#resourceVersion;
  }

  /** Calls `listener` for every change from now on; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #write(resource: ApiResource, namespace: string, name: string, object: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    this.#resourceVersion += 1;
    metadataOf(object)['resourceVersion'] = String(this.#resourceVersion);
    this.#objects.set(this.#key(resource, namespace, name), object);
    this.#record({ type, resource, namespace, object: structuredClone(object), resourceVersion: this.#resourceVersion });
    return structuredClone(object);
  }

  #record(event: StoreEvent): void {
    this.#history.push(event);
    if (this.#history.length > this.#historySize) {
      const dropped = this.#history.shift()!;
      this.#oldestWatchable = dropped.resourceVersion;
    }
    for (const listener of this.#listeners) listener(event);
  }

  #validate(resource: ApiResource, name: string, object: KubeObject, old: KubeObject | undefined): void {
    const metadata = metadataOf(object);
    for (const field of ['annotations', 'labels'] as const) {
      const map = metadata[field];
      if (map === undefined || map === null) continue;
      if (typeof map !== 'object' || Array.isArray(map)) throw invalid(resource, name, `metadata.${field}`, 'Invalid value: must be a map');
      for (const [key, value] of Object.entries(map)) {
        if (typeof value !== 'string') throw invalid(resource, name, `metadata.${field}[${key}]`, 'Invalid value: must be a string');
      }
    }
    if (resource.kind !== 'Node') return;
    const spec = specOf(object);
    if (object['spec'] === undefined) object['spec'] = spec;
    let podCIDR = spec['podCIDR'] ?? '';
    let podCIDRs = spec['podCIDRs'] ?? [];
    if (typeof podCIDR !== 'string') throw invalid(resource, name, 'spec.podCIDR', 'Invalid value: must be a string');
    if (!Array.isArray(podCIDRs) || podCIDRs.some((each) => typeof each !== 'string')) {
      throw invalid(resource, name, 'spec.podCIDRs', 'Invalid value: must be a list of strings');
    }
    // The API server mirrors podCIDR = podCIDRs[0] (pkg/api/node/util.go dropDisabledFields / defaults).
    if (podCIDR === '' && podCIDRs.length > 0) podCIDR = podCIDRs[0] as string;
    if (podCIDR !== '' && podCIDRs.length === 0) podCIDRs = [podCIDR];
    if (podCIDRs.length > 0 && podCIDRs[0] !== podCIDR) throw invalid(resource, name, 'spec.podCIDRs', 'Invalid value: must have podCIDR as its first element');
    if (podCIDRs.length > 2) throw invalid(resource, name, 'spec.podCIDRs', 'Too many: may not contain more than 2 CIDRs');
    for (const each of podCIDRs as string[]) {
      if (!CIDR.test(each)) throw invalid(resource, name, 'spec.podCIDRs', `Invalid value: "${each}": must be a valid CIDR`);
    }
    if (podCIDR !== '') {
      spec['podCIDR'] = podCIDR;
      spec['podCIDRs'] = podCIDRs;
    }
    if (old !== undefined) {
      const oldSpec = specOf(old);
      const oldCidrs = JSON.stringify(oldSpec['podCIDRs'] ?? []);
      if ((oldSpec['podCIDR'] ?? '') !== '' && (oldSpec['podCIDR'] !== podCIDR || oldCidrs !== JSON.stringify(podCIDRs))) {
        throw invalid(resource, name, 'spec.podCIDRs', 'Forbidden: node updates may not change podCIDR except from "" to valid');
      }
    }
  }
}
