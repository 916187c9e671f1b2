/**
 * The one Content-Security-Policy of Parley's pages (docs/DESIGN.md#9-security-defaults): the
 * Electron host sends it as a header, the browser host too (with its WebSocket allowed), and the
 * renderer's build writes it into index.html as a meta tag (renderer/csp-meta.ts).
 *
 * React sets inline styles through the CSSOM, which CSP does not govern, so style-src needs no
 * 'unsafe-inline'; Vite emits scripts and styles as files.
 */

const DIRECTIVES: ReadonlyArray<readonly [name: string, sources: string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['connect-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  // The notice sounds (assets/sounds/), bundled as files by Vite.
  ['media-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-src', "'none'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The browser host's page talks to the core over a WebSocket on a loopback port. It is named
 * outright because not every browser lets 'self' cover ws: on the page's own host.
 */
export const LOOPBACK_WEBSOCKETS = 'ws://127.0.0.1:*';

/** Directives a meta tag cannot carry (the HTML standard ignores them there, with a console warning). */
const HEADER_ONLY = new Set(['frame-ancestors']);

export interface PolicyOptions {
  /** More sources for connect-src. */
  connect?: readonly string[];
  /** Leave out what only works as a header. */
  meta?: boolean;
}

export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  return DIRECTIVES.filter(([name]) => !(options.meta && HEADER_ONLY.has(name)))
    .map(([name, sources]) =>
      name === 'connect-src' && options.connect?.length ? `${name} ${sources} ${options.connect.join(' ')}` : `${name} ${sources}`,
    )
    .join('; ');
}

/** The app's own policy, as Electron serves it: the renderer talks to the core over IPC only. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** The browser host's policy: the same, with the core's WebSocket. */
export const BROWSER_CONTENT_SECURITY_POLICY = contentSecurityPolicy({ connect: [LOOPBACK_WEBSOCKETS] });

/**
 * What the built index.html carries. The one file is served by both hosts, so it allows the
 * browser host's WebSocket; under Electron the header's stricter connect-src still applies,
 * because a page is held to every policy it is given.
 */
export const META_CONTENT_SECURITY_POLICY = contentSecurityPolicy({ connect: [LOOPBACK_WEBSOCKETS], meta: true });
