/**
 * The Logger now lives below the core, in electron/support/logger.ts. This re-export serves the
 * callers outside electron/ and the browser host (bench/, server/demo.ts, e2e/,
 * electron/hosts/browser/server.ts) until they import electron/support/logger.ts themselves.
 */
export * from '../support/logger.js';
