/**
 * The app:// scheme: registered as standard and secure before `ready` (so the renderer gets a
 * real origin, app://parley, with storage and fetch), then served from dist/renderer.
 */
import { protocol } from 'electron';
import { createAppRequestHandler } from '../hosts/electron/app-protocol.js';
import { APP_SCHEME } from '../hosts/electron/security.js';

/** Must run before app `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** After `ready`: serve the built renderer under app://parley/. */
export function serveApp(rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler({ rootDir }));
}
