// The shared Backend conformance suite; alloc programs nothing and publishes no BackendType.
import { testBackend } from '@flannel-ts/core/testing/vitest';
import { createAllocBackend } from './alloc-backend.js';

testBackend('alloc', () => ({ createBackend: createAllocBackend() }), { leaseBackendType: null });
