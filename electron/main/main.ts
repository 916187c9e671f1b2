/**
 * Entry of the Electron main process, bundled to dist/electron/main.cjs by electron/build.ts.
 * `__dirname` is the bundle's folder (dist/electron), where preload.cjs and icon.png sit.
 */
import { appPaths, runApp } from './app.js';

runApp(appPaths(__dirname));
