/**
 * Security policy of the Electron host as plain functions: what the app's own origin is, which
 * URLs may be opened outside, which permissions a page gets, the Content-Security-Policy.
 * No Electron import: electron/main applies these decisions to the real objects.
 */
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp.js';

/** The policy itself lives in shared/csp.ts, one definition for both hosts and the built HTML. */
export { CONTENT_SECURITY_POLICY };

/** The renderer is served from app://parley/ (a standard, secure scheme registered before ready). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'parley';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Headers every app response carries (the protocol handler and the session hook both add them). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Response headers with the security headers set, replacing any the response carried under
 * whatever spelling (header names are case-insensitive). For session.webRequest.onHeadersReceived.
 */
export function withSecurityHeaders(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const ours = new Set(Object.keys(SECURITY_HEADERS).map((name) => name.toLowerCase()));
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (!ours.has(name.toLowerCase())) out[name] = values;
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) out[name] = [value];
  return out;
}

function parse(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** Is this URL a page of the app itself (app://parley/...)? */
export function isAppUrl(raw: unknown): boolean {
  const url = parse(raw);
  return url !== null && url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username && !url.password;
}

/** "mailto:" with one plain address (a chat's e-mail link opens the user's mail program). */
const MAILTO = /^mailto:[^\s@/?#:]+@[^\s@/?#:]+$/i;

/**
 * The URL to hand to the operating system for a link the user clicked, or null when it must not
 * leave the app: http(s) with a host and without credentials, or a mailto: with one plain address
 * and nothing else (no headers or body to prefill), no longer than a sane limit.
 */
export function externalUrl(raw: unknown): string | null {
  if (typeof raw === 'string' && raw.length > 2048) return null;
  const url = parse(raw);
  if (url === null) return null;
  if (url.protocol === 'mailto:') return MAILTO.test(url.href) ? url.href : null;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

/**
 * What to do when a page tries to navigate (a link, a form, location.href=...) or open a window:
 * stay only within the app; http(s) goes to the system browser; everything else is dropped.
 */
export type NavigationDecision = { action: 'allow' } | { action: 'external'; url: string } | { action: 'deny' };

export function decideNavigation(raw: unknown): NavigationDecision {
  if (isAppUrl(raw)) return { action: 'allow' };
  const external = externalUrl(raw);
  return external ? { action: 'external', url: external } : { action: 'deny' };
}

/** window.open and target=_blank never create a window; a safe web link opens in the browser. */
export function decideWindowOpen(raw: unknown): { action: 'external'; url: string } | { action: 'deny' } {
  const external = externalUrl(raw);
  return external ? { action: 'external', url: external } : { action: 'deny' };
}

/** Permissions are denied unless it is a notification asked for by the app's own page. */
export function isPermissionAllowed(permission: string, requestingUrl: unknown): boolean {
  return permission === 'notifications' && isAppUrl(requestingUrl);
}

/** Escape text for Linux notification servers, which read the body as markup. */
export function escapeNotificationMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
