#!/usr/bin/env node
// The `parley` command. Parley's sources are TypeScript; tsx compiles them on load, so the CLI,
// the browser host and the tests all run the same files with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
