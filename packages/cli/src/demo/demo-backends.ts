/**
 * The backends `flannel-ts demo --backend` accepts. Kept apart from `run-demo.ts` so the command can check
 * its arguments without loading the testlab (an optional peer of flannel-ts).
 */
export const DEMO_BACKENDS: readonly string[] = ['vxlan', 'host-gw', 'udp', 'extension', 'wireguard'];
