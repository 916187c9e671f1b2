/**
 * protocol.handle for app://: Chromium outside Electron cannot load a custom scheme, so app://parley/
 * is opened as https://parley.invalid/ (a secure context, a name that never resolves) and every
 * request to it is answered by the real handler the shell registered, with its headers (the CSP).
 * Frames report their URL back in app:// form, so the bridge's sender check sees what Electron shows.
 */
import { harness, record } from './harness.js';

const STAND_IN_ORIGIN = 'https://parley.invalid';
const APP_ORIGIN = 'app://parley';

export function toStandInUrl(url: string): string {
  return url.startsWith(`${APP_ORIGIN}/`) ? STAND_IN_ORIGIN + url.slice(APP_ORIGIN.length) : url;
}

export function fromStandInUrl(url: string): string {
  return url.startsWith(`${STAND_IN_ORIGIN}/`) ? APP_ORIGIN + url.slice(STAND_IN_ORIGIN.length) : url;
}

type Handler = (request: Request) => Response | Promise<Response>;
let appHandler: Handler | null = null;

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown): void {
    record('registerSchemesAsPrivileged', schemes);
  },
  handle(scheme: string, handler: Handler): void {
    record('protocol.handle', scheme);
    if (scheme === 'app') appHandler = handler;
  },
};

/** Route the stand-in origin to the app:// handler (called once the launch's browser context exists). */
export async function routeAppOrigin(): Promise<void> {
  const context = harness.context;
  if (!context) return;
  await context.route(`${STAND_IN_ORIGIN}/**`, async (route) => {
    if (!appHandler) return route.abort();
    const response = await appHandler(new Request(fromStandInUrl(route.request().url()), { method: route.request().method() }));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    await route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
  });
}
