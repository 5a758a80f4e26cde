// Entry of the self-contained plugin bundle (`dist/flannel.cjs`, also the program inside the single
// executable): runs one CNI command and sets the exit status.
import { runFlannelPlugin } from './flannel-main.js';

process.exitCode = runFlannelPlugin();
