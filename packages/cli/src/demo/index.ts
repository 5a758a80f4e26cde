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
