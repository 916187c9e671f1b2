// Starts the history worker from its TypeScript source (tests, the tsx CLI, the browser host):
// a worker thread does not inherit the loader hooks tsx registered in the main thread, so it
// registers tsx for itself. The bundled app starts dist/electron/history-worker.cjs instead.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
