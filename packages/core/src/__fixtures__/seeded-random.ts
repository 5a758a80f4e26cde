/**
 * A small seeded pseudo-random generator (mulberry32) for property tests, so a failure names a reproducible
 * case: the same seed gives the same sequence on every run. Test-only; not exported from the package.
 *
 * @param seed - any number; it is taken as an unsigned 32-bit integer.
 * @returns a function giving the next number in [0, 1) on each call.
 *
 * @example
 * const next = seededRandom(20_261_122);
 * const octet = Math.floor(next() * 256);
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
