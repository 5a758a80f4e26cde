/**
 * `@flannel-ts/backend-alloc`: the alloc backend — a lease and no data path.
 * @packageDocumentation
 */
export { createAllocBackend } from './alloc-backend.js';
export type { AllocBackendDependencies, AllocBackendOptions } from './alloc-backend.js';
