#!/usr/bin/env node
import process from 'node:process';
import { flanneldRunner, main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2), undefined, { runDaemon: flanneldRunner });
