import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A function that runs V8's young-generation collection (a scavenge, ~1 ms), for
 * `KubeClientOptions.reclaimListMemory`; `undefined` where the runtime does not offer it.
 *
 * Why: the bytes of a node list arrive as socket Buffers whose memory lives outside the V8 heap and is
 * freed only when a collection finds them dead. The list decoder allocates almost nothing on the heap, so no
 * collection runs on its own until ~32 MB of dead chunks have piled up (V8's external-memory trigger), and
 * the C allocator keeps that high-water mark as RSS for the rest of the process's life (measured with
 * `bench/kube-daemon-coldstart.ts`, 5,000 Nodes: daemon peak RSS ~123 MB without, ~108 MB with, see
 * docs/benchmarks.md). It exposes `gc` to
 * new `vm` contexts only (`--expose-gc` set at run time; the main context gets no global `gc`).
 *
 * @deprecated The daemon no longer uses it: `flannel-ts` keeps V8's young generation at its initial size
 * (`keepYoungGenerationSmall` in the CLI, `--semi-space-growth-factor=1`), which collects the list's chunks
 * every few MiB on its own, without `--expose-gc` at run time or `gc` from a `vm` context (docs/benchmarks.md).
 * To be removed.
 *
 * @example
 * ```ts
 * const client = createKubeClient(config, { reclaimListMemory: youngGenerationCollector() });
 * ```
 */
export function youngGenerationCollector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    if (typeof gc !== 'function') return undefined;
    return () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' });
  } catch {
    return undefined;
  }
}
