// etcd3 and cockatiel are CommonJS. Imported from ESM, Node first scans each of their files for export names
// (etcd3's index re-exports a dozen files, each scanned); loaded through `require` they are simply evaluated:
// about 35 ms less start-up for the daemon and a few MB less memory. Same module objects either way.
import { createRequire } from 'node:module';
import type * as Cockatiel from 'cockatiel';
import type * as Etcd3 from 'etcd3';

const load = createRequire(import.meta.url);

/** The `etcd3` package (values; import its types from `'etcd3'` as usual). @internal */
export const etcd3 = load('etcd3') as typeof Etcd3;

/** The `cockatiel` package (retry and circuit-breaker policies). @internal */
export const cockatiel = load('cockatiel') as typeof Cockatiel;
