// Program a VXLAN device and one remote host (neighbour, FDB entry, route) with one `batch`, inside a
// network namespace this script creates and always deletes. Needs root.
// Run: sudo pnpm exec tsx docs/examples/netlink-vxlan.ts
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createNetlink, NetlinkError } from '@flannel-ts/netlink';
import type { NetlinkOperation } from '@flannel-ts/netlink';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const namespace = `ex-${randomBytes(3).toString('hex')}`; // names are at most 15 bytes
ip('netns', 'add', namespace);
try {
  // One Netlink per namespace; the socket stays bound to it. Omit `netns` for this process's namespace.
  const netlink = await createNetlink({ netns: { name: namespace } });
  try {
    // An underlay for the example. On a real host this is eth0: `await netlink.getLink('eth0')`.
    const underlay = await netlink.addLink({ name: 'ul0', kind: 'bridge', up: true });
    await netlink.addAddress({ family: 4, index: underlay.index, address: '192.168.0.10', prefixLength: 24 });

    // ip link add flannel.1 mtu 1450 up type vxlan id 1 local 192.168.0.10 dev ul0 dstport 8472 nolearning
    const vxlan = await netlink.addLink({
      name: 'flannel.1', kind: 'vxlan', mtu: 1450, up: true,
      vxlan: { vni: 1, local: '192.168.0.10', underlayIndex: underlay.index, port: 8472, learning: false },
    });
    // ip addr add 10.5.72.0/32 dev flannel.1 (this node's subnet address)
    await netlink.addAddress({ family: 4, index: vxlan.index, address: '10.5.72.0', prefixLength: 32 });

    // One remote host: subnet 10.5.34.0/24, PublicIP 192.168.0.11, VtepMAC 0e:2a:00:00:00:01.
    const remoteMac = '0e:2a:00:00:00:01';
    const operations: NetlinkOperation[] = [
      { op: 'replaceNeighbour', neighbour: { family: 4, index: vxlan.index, address: '10.5.34.0', hardwareAddress: remoteMac } },
      { op: 'replaceFdb', entry: { index: vxlan.index, hardwareAddress: remoteMac, destination: '192.168.0.11' } },
      { op: 'replaceRoute', route: { family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: vxlan.index, onlink: true } },
      // Invalid on purpose: it fails alone, before anything is sent; the others still apply.
      { op: 'replaceRoute', route: { family: 4, destination: '10.5.35.1/24', index: vxlan.index } },
    ];
    const results = await netlink.batch(operations);
    results.forEach((result, i) => {
      const { op } = operations[i]!;
      if (result.ok) console.log(`${op}: ok`);
      else console.log(`${op}: ${NetlinkError.isInstance(result.error) ? result.error.code : 'error'}: ${result.error.message}`);
    });

    // Read back through netlink and compare with iproute2.
    console.log(await netlink.listNeighbours({ family: 4, index: vxlan.index }));
    console.log(await netlink.listFdb({ index: vxlan.index }));
    process.stdout.write(ip('-n', namespace, 'route', 'show', 'dev', 'flannel.1'));
    process.stdout.write(ip('-n', namespace, 'neigh', 'show', 'dev', 'flannel.1'));
    process.stdout.write(execFileSync('ip', ['netns', 'exec', namespace, 'bridge', 'fdb', 'show', 'dev', 'flannel.1'], { encoding: 'utf8' }));

    // Kernel refusals are NetlinkError with the errno name; a missing object is NetlinkNotFoundError.
    await netlink.addLink({ name: 'flannel.1', kind: 'bridge' }).catch((error: unknown) => {
      if (!NetlinkError.hasErrno(error, 'EEXIST')) throw error;
      console.log(error.message);
    });
    console.log(await netlink.findLink('flannel.2')); // undefined
  } finally {
    await netlink.close();
  }
} finally {
  ip('netns', 'del', namespace);
}
