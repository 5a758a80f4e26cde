// Write and read /run/flannel/subnet.env (here in a temporary directory).
// Run: pnpm exec tsx docs/examples/subnet-env.ts
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPreviousSubnetEnv, readSubnetEnv, SubnetEnvError, writeSubnetEnv } from '@flannel-ts/subnet-env';

const directory = await mkdtemp(join(tmpdir(), 'subnet-env-example-'));
try {
  const path = join(directory, 'flannel', 'subnet.env');

  // What flanneld writes once it holds a lease: atomic, 0644, parent directory created.
  // `subnet` is the leased network; the file gets its first address (the pod gateway).
  await writeSubnetEnv(path, { network: '10.5.0.0/16', subnet: '10.5.72.0/24', mtu: 1450, ipMasq: true });
  process.stdout.write(await readFile(path, 'utf8'));
  // FLANNEL_NETWORK=10.5.0.0/16
  // FLANNEL_SUBNET=10.5.72.1/24
  // FLANNEL_MTU=1450
  // FLANNEL_IPMASQ=true

  // The CNI plugin's strict reading: subnets as network addresses, every key required.
  const env = await readSubnetEnv(path);
  console.log(env.subnet, env.mtu, env.ipMasq); // 10.5.72.0/24 1450 true

  // flanneld's tolerant reading of the previous run's file, used to ask for the same subnet again.
  const previous = await readPreviousSubnetEnv(path);
  console.log(previous.subnet, previous.warnings); // 10.5.72.0/24 []

  // A missing file is a typed error with a stable code.
  await readSubnetEnv(join(directory, 'absent.env')).catch((error: unknown) => {
    if (!(error instanceof SubnetEnvError)) throw error;
    console.log(error.code); // SUBNET_ENV_NOT_FOUND
  });
} finally {
  await rm(directory, { recursive: true, force: true });
}
