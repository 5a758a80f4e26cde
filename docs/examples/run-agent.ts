// The whole node agent in-process (docs/embedding.md "Run the whole agent"): needs root, an etcd holding a
// network config, and an interface named eth1. Stop it with Ctrl-C; the data path stays in place.
import { createLogger, startAgent } from '@flannel-ts/agent';

const controller = new AbortController();
const agent = startAgent(
  { etcdEndpoints: ['https://10.0.0.1:2379'], iface: ['eth1'], ipMasq: true },
  { signal: controller.signal, logger: createLogger({ level: 'info', destination: process.stderr, pretty: false }) },
);
agent.on('ready', ({ subnet, mtu }) => console.log(`ready: ${subnet}, MTU ${mtu}`));
agent.on('peer-added', (lease) => console.log(`peer ${lease.subnet} at ${lease.attributes.publicIP}`));
agent.on('peer-removed', (lease) => console.log(`peer ${lease.subnet} gone`));
agent.on('data-path-repaired', ({ operations }) => console.log(`repaired ${operations} kernel entries`));
agent.on('lease-lost', (error) => console.error(`${error.code}: ${error.message}`));
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
process.exitCode = await agent.done; // 0 after abort, 1 after a fatal error (also emitted as `error`)
