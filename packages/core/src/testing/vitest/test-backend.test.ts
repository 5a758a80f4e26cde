// Runs the backend conformance suite against a tiny in-test backend that "programs" one entry per
// remote lease of its type into a Map, so every hook of the harness is exercised inside core.
import type { Backend, BackendContext } from '../../backend.js';
import { throwIfAborted } from '../../errors.js';
import { FlannelError } from '../../errors.js';
import { backendIntegerOption } from '../../backend-option.js';
import { LeaseWatcher } from '../../lease-watcher.js';
import { passWaiters, type PassWaiters } from '../pass-waiters.js';
import { testBackend } from './test-backend.js';

function createTableBackend(table: Map<string, string>, passes: PassWaiters) {
  return (context: BackendContext): Backend => ({
    specificationVersion: 'v1',
    type: 'table',
    async registerNetwork({ config, signal }) {
      throwIfAborted(signal);
      const overhead = backendIntegerOption(config, 'Overhead', 0, { min: 0, max: 100 });
      const ext = context.externalInterface;
      const lease = await context.subnetManager.acquireLease(
        { publicIP: ext.address!, ...(config.enableIPv6 ? { publicIPv6: ext.address6 } : {}), backendType: 'table' },
        signal ? { signal } : {},
      );
      return {
        lease,
        mtu: ext.mtu - overhead,
        async run(runSignal) {
          const watcher = new LeaseWatcher(lease);
          try {
            for await (const result of context.subnetManager.watchLeases({ signal: runSignal })) {
              watcher.apply(result);
              table.clear();
              for (const remote of watcher.leases) {
                if (remote.attributes.backendType === 'table') table.set(remote.subnet!.toString(), remote.attributes.publicIP);
              }
              passes.notify();
            }
          } catch (error) {
            if (!runSignal.aborted || !FlannelError.hasCode(error, 'ABORTED')) throw error;
          }
        },
      };
    },
  });
}

testBackend(
  'table',
  () => {
    const table = new Map<string, string>();
    const passes = passWaiters();
    return {
      createBackend: createTableBackend(table, passes),
      state: () => [...table],
      remoteEntries: (remote) => (table.has(remote.subnet!.toString()) ? 1 : 0),
      nextPass: () => passes.next(),
    };
  },
  { invalidBackendConfig: { config: { Type: 'table', Overhead: 'big' } }, ipv6: true },
);
