// The `flannel-ts` bin over the sources, for end-to-end tests (`node --import tsx test/flannel-ts-source.ts`,
// run from the repository root so tsx maps `@flannel-ts/*` to `packages/*/src`). Same as bin/flannel-ts.js.
import { flanneldRunner } from '../src/flanneld-runner.js';
import { main } from '../src/main.js';

process.exitCode = await main(process.argv.slice(2), undefined, { runDaemon: flanneldRunner });
