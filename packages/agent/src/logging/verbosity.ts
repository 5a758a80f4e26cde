/** The pino levels flannel-ts logs at. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/**
 * Maps flanneld's klog `-v` to a pino level. flannel logs device details at V(1), routes at V(2),
 * FDB/ARP calls and etcd revisions at V(4), iptables payloads at V(6): so 0 → `info`, 1–3 → `debug`,
 * 4 and more → `trace`.
 */
export function verbosityToLevel(verbosity: number): LogLevel {
  if (verbosity >= 4) return 'trace';
  if (verbosity >= 1) return 'debug';
  return 'info';
}
