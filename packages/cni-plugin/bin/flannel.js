#!/usr/bin/env node
// The `flannel` CNI plugin: a runtime runs it by the conflist's `type` from its CNI bin dir.
import { runFlannelPlugin } from '../dist/flannel-main.js';

process.exitCode = runFlannelPlugin();
