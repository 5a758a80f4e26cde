// A minimal node agent from the packages: etcd leases + the vxlan backend + subnet.env, i.e. the core
// of flanneld without flags, traffic rules or health server. It programs the kernel of $NETNS (or of
// its own namespace when unset) while talking to etcd from its own namespace. Needs root.
// Run: NETNS=blue IFACE=eth0 ETCD_ENDPOINTS=http://127.0.0.1:2379 SUBNET_FILE=/tmp/subnet.env \
//        pnpm exec tsx docs/examples/assemble-agent.ts      (stops on SIGINT/SIGTERM)
import type { BackendFactory, ExternalInterface, Logger } from '@flannel-ts/core';
import { FlannelError, IpNet } from '@flannel-ts/core';
import { createAllocBackend } from '@flannel-ts/backend-alloc';
import { createHostGwBackend } from '@flannel-ts/backend-host-gw';
import { createVxlanBackend } from '@flannel-ts/backend-vxlan';
import { createNetlink } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';
import { readPreviousSubnetEnv, writeSubnetEnv } from '@flannel-ts/subnet-env';
import { createEtcdSubnetManager } from '@flannel-ts/subnet-etcd';

const env = process.env;
const subnetFile = env.SUBNET_FILE ?? '/run/flannel/subnet.env';
const line = (level: string) => (first: string | Record<string, unknown>, message?: string): void =>
  console.log(level, typeof first === 'string' ? first : `${message ?? ''} ${JSON.stringify(first)}`);
const logger: Logger = { trace: () => {}, debug: () => {}, info: line('INFO'), warn: line('WARN'), error: line('ERROR'), child: () => logger };

/** The external interface by name: its index, MTU and first global IPv4 address. */
async function externalInterface(netlink: Netlink, name: string): Promise<ExternalInterface> {
  const link = await netlink.getLink(name);
  const address = (await netlink.listAddresses({ family: 4, index: link.index })).find((a) => a.scope !== 'host' && a.scope !== 'link');
  if (address === undefined) throw new FlannelError('INTERFACE_NOT_FOUND', `${name} has no IPv4 address`);
  return { name, index: link.index, mtu: link.mtu, address: address.address, publicIP: address.address };
}

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());

const netlink = await createNetlink(env.NETNS ? { netns: { name: env.NETNS } } : {});
const subnetManager = createEtcdSubnetManager({ endpoints: env.ETCD_ENDPOINTS ?? 'http://127.0.0.1:2379', logger });
try {
  // An explicit map of factories, each bound to its boundaries; no registration by import.
  const backends: Record<string, BackendFactory> = {
    vxlan: createVxlanBackend({ netlink }),
    'host-gw': createHostGwBackend({ netlink, onReconcile: () => {} }),
    alloc: createAllocBackend(),
  };
  const config = await subnetManager.getNetworkConfig({ signal: controller.signal });
  const factory = backends[config.backendType];
  if (factory === undefined) throw new FlannelError('BACKEND_UNSUPPORTED', `unknown backend type: ${config.backendType}`);

  const backend = await factory({ subnetManager, externalInterface: await externalInterface(netlink, env.IFACE ?? 'eth0'), logger });
  const previous = await readPreviousSubnetEnv(subnetFile); // never throws; ask for the same subnet again
  const network = await backend.registerNetwork({
    config,
    previous: previous.subnet === undefined ? {} : { subnet: IpNet.parse(previous.subnet) },
    signal: controller.signal,
  });
  await writeSubnetEnv(subnetFile, { network: config.network, subnet: network.lease.subnet, mtu: network.mtu, ipMasq: false });
  logger.info(`ready: ${network.lease.subnet?.toString()}, MTU ${network.mtu}, ${subnetFile} written`);

  // Both run until the signal aborts; the kernel state and the etcd lease stay for the next start.
  await Promise.all([network.run(controller.signal), subnetManager.completeLease(network.lease, { signal: controller.signal })]);
  logger.info('stopped; data path left in place');
} catch (error) {
  if (!(controller.signal.aborted && FlannelError.hasCode(error, 'ABORTED'))) throw error;
} finally {
  await subnetManager.close();
  await netlink.close();
}
