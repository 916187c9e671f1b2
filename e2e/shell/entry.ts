/**
 * What the harness bundle exports (e2e/shell/build.ts): the real shell entry (electron/main/app.ts,
 * as electron/main/main.ts calls it) and the stand-in it runs against, so a launch can drive both.
 */
export { appPaths, runApp } from '../../electron/main/app.js';
export * as electron from './stand-in/electron.js';
export { harness } from './stand-in/harness.js';
export { routeAppOrigin } from './stand-in/protocol.js';
