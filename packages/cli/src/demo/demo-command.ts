import type { CliIo } from '../cli-io.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';
import { DEMO_BACKENDS } from './demo-backends.js';

const USAGE = `Usage: flannel-ts demo [--hosts N] [--backend vxlan|host-gw|udp|extension|wireguard] [--kube]

Brings up a cluster of N (default 3) hosts in network namespaces on this machine with real etcd, runs
flannel-ts on each, adds two pods per host through the flannel CNI plugin (bridge and host-local from
/usr/lib/cni as its delegates), pings between every pair of pods, prints a summary and removes everything.
--kube: a Kubernetes API server stand-in instead of etcd (Nodes with podCIDRs, flannel-ts --kube-subnet-mgr).
Needs root.
`;

/**
 * `flannel-ts demo [--hosts N] [--backend vxlan|host-gw|udp|extension|wireguard] [--kube]`: see `runDemo`. Exit 0 when every pair
 * of pods pinged, every pod was deleted and every daemon exited cleanly, 1 otherwise, 2 on a usage error.
 *
 * @example
 * ```ts
 * const status = await demoCommand(['--hosts', '3'], processIo());
 * ```
 */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let hosts = 3;
  let backend = 'vxlan';
  let kube = false;
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = (argv[index] ?? '').split('=', 2) as [string, string | undefined];
    const value = (): string => inline ?? argv[++index] ?? '';
    if (flag === '-h' || flag === '--help') {
      io.stdout.write(USAGE);
      return EXIT_OK;
    } else if (flag === '--hosts' || flag === '-hosts') {
      const text = value();
      hosts = Number(text);
      if (!/^\d+$/.test(text) || hosts < 2 || hosts > 20) {
        io.stderr.write(`flannel-ts demo: --hosts ${JSON.stringify(text)} is invalid: must be an integer 2..20\n`);
        return EXIT_USAGE;
      }
    } else if (flag === '--kube' || flag === '-kube') {
      kube = true;
    } else if (flag === '--backend' || flag === '-backend') {
      backend = value();
      if (!DEMO_BACKENDS.includes(backend)) {
        io.stderr.write(`flannel-ts demo: --backend ${JSON.stringify(backend)} is invalid: must be one of ${DEMO_BACKENDS.join(', ')}\n`);
        return EXIT_USAGE;
      }
    } else {
      io.stderr.write(`flannel-ts demo: unknown argument ${JSON.stringify(argv[index])}\n${USAGE}`);
      return EXIT_USAGE;
    }
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    io.stderr.write('flannel-ts demo needs root: it creates network namespaces, a bridge and veth pairs (run it with sudo)\n');
    return EXIT_FAILURE;
  }
  let runDemo: typeof import('./run-demo.js').runDemo;
  try {
    // Loaded only now: testlab (namespaces, etcd processes, its sweep tool) is an optional peer of
    // flannel-ts, installed by those who run the demo, so a node's install never carries it.
    ({ runDemo } = await import('./run-demo.js'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !String(error).includes('@flannel-ts/testlab')) throw error;
    io.stderr.write('flannel-ts demo needs the optional package @flannel-ts/testlab: install it beside flannel-ts (npm i -g @flannel-ts/testlab)\n');
    return EXIT_FAILURE;
  }
  try {
    const report = await runDemo({ out: io.stdout, hosts, backend, ...(kube ? { subnet: 'kube' as const } : {}) });
    return report.cleanExits && report.podsDeleted && report.pings.every((each) => each.ok) ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    io.stderr.write(`flannel-ts demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
