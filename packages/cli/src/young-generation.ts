import { setFlagsFromString } from 'node:v8';

/** V8 flags that size the young generation: a process started with one of them keeps the operator's choice. */
const YOUNG_GENERATION_FLAG = /--(?:max|min)[-_]semi[-_]space[-_]size|--semi[-_]space[-_]growth[-_]factor/u;

/** The flag {@link keepYoungGenerationSmall} sets. */
export const YOUNG_GENERATION_GROWTH_FLAG = '--semi-space-growth-factor=1';

/** What {@link keepYoungGenerationSmall} reads and calls; the real process's by default. */
export interface YoungGenerationOptions {
  /** Node's own flags (`process.execArgv`). */
  readonly execArgv?: readonly string[];
  /** `NODE_OPTIONS` of the process. */
  readonly nodeOptions?: string | undefined;
  /** `v8.setFlagsFromString`. */
  readonly setFlags?: (flags: string) => void;
}

/**
 * Keeps V8's young generation at the size it starts with (1 MiB semi-spaces) for the rest of the daemon's
 * life, instead of letting it double up to 16 MiB semi-spaces while the start-up builds its long-lived state
 * (every lease, the programmed model). The daemon's allocation comes in bursts at start-up (the lease or node
 * list, the first 15,000-entry pass) and is tiny afterwards, so a larger young generation buys a few
 * milliseconds of scavenging at start-up and costs up to 32 MiB of RSS for the process's whole life: with
 * 5,000 Nodes, this flag alone took the peak RSS from ~100 to ~85 MB at a cold start and from ~120 to ~97 MB
 * at a restart, with the same CPU time (docs/benchmarks.md, `bench/kube-daemon-coldstart.ts`). A small young generation is also collected often enough that the
 * socket Buffers of a node list (memory outside the V8 heap, freed by a collection) never pile up.
 *
 * `--max-semi-space-size` would say the same, but V8 reads it only while the process starts (setting it from
 * JavaScript has no effect), and the daemon must behave the same however it is launched (`flannel-ts`, `node
 * bin/flannel-ts.js`, a systemd unit, a container's command). The growth factor is read each time V8 considers
 * growing the young generation, so setting it first thing has the same effect. A process started with any
 * young-generation flag on its command line or in `NODE_OPTIONS` is left as the operator asked (with the
 * young generation free to grow, a 40 MiB node list's chunks pile up again: ~+40 MB of peak RSS). A Node
 * whose V8 no longer knows the flag prints `unrecognized flag` once and runs with V8's default.
 *
 * Returns whether the flag was set.
 *
 * @example
 * ```ts
 * keepYoungGenerationSmall(); // before the daemon loads and allocates anything
 * ```
 */
export function keepYoungGenerationSmall(options: YoungGenerationOptions = {}): boolean {
  const execArgv = options.execArgv ?? process.execArgv;
  const nodeOptions = 'nodeOptions' in options ? options.nodeOptions : process.env['NODE_OPTIONS'];
  if (execArgv.some((flag) => YOUNG_GENERATION_FLAG.test(flag)) || YOUNG_GENERATION_FLAG.test(nodeOptions ?? '')) return false;
  (options.setFlags ?? setFlagsFromString)(YOUNG_GENERATION_GROWTH_FLAG);
  return true;
}
