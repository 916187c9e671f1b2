/**
 * Session-wide rules: the CSP on every response (webRequest header hooks do not run for the
 * app:// protocol, whose handler sets the same headers itself), permissions denied except
 * notifications for the app's own page, no device access, no downloads.
 */
import type { Session } from 'electron';
import type { Logger } from '../support/logger.js';
import { silentLogger } from '../support/logger.js';
import { isPermissionAllowed, withSecurityHeaders } from '../hosts/electron/security.js';

export function hardenSession(session: Session, logger: Logger = silentLogger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl || contents.getURL();
    const allowed = isPermissionAllowed(permission, url);
    if (!allowed) logger.info('denied a permission request', { permission, url: url.slice(0, 256) });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}
