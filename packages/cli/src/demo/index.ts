/**
 * `flannel-ts demo` and the helpers that run the real daemon inside testlab hosts (shared with the
 * end-to-end tests and the benchmarks).
 * @packageDocumentation
 */
export { demoCommand } from './demo-command.js';
export { runDemo } from './run-demo.js';
export type { DemoHost, DemoOptions, DemoPing, DemoPod, DemoReport } from './run-demo.js';
export { builtDaemonLaunch, cliPackageDirectory, sourceDaemonLaunch, startLabNode } from './lab-node.js';
export type { DaemonLaunch, StartLabNodeOptions } from './lab-node.js';
export { startLabKubeApi, LAB_KUBE_API_PORT } from './lab-kube-api.js';
export type { LabKubeApi, LabKubeApiFront, LabKubeApiOptions } from './lab-kube-api.js';
export { startKubeDemo } from './kube-demo.js';
export type { DemoSubnetManager, KubeDemo } from './kube-demo.js';
