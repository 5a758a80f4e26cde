// Creates a lab with etcd, reports its run id and waits to be signalled: the victim of the crash tests.
import { createLab } from '../index.js';

const lab = await createLab({ hosts: 2, etcd: true });
lab.host('h1').spawn('sleep', ['300']);
console.log(JSON.stringify({ runId: lab.runId, statePath: lab.statePath }));
setInterval(() => undefined, 60_000);
