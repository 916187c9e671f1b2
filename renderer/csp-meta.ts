/**
 * A Vite plugin that writes the app's Content-Security-Policy (shared/csp.ts) into the built
 * index.html as a meta tag, so the policy has one definition. Only in a build: the dev server's
 * React refresh preamble is an inline script that the policy would block.
 */
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from '../shared/csp.js';

const CHARSET = /<meta charset="utf-8"\s*\/?>/i;

/** index.html with the policy's meta tag right after the charset declaration. */
export function withCspMeta(html: string, policy: string = META_CONTENT_SECURITY_POLICY): string {
  // The tag is written by hand, so nothing in the policy may need escaping in an attribute.
  if (/["&<>]/.test(policy)) throw new Error('the Content-Security-Policy would need HTML escaping');
  if (/http-equiv="Content-Security-Policy"/i.test(html))
    throw new Error('index.html already has a Content-Security-Policy meta tag; shared/csp.ts is its one source');
  const charset = CHARSET.exec(html);
  // Without it the build would ship a page without its policy: stop the build instead.
  if (!charset) throw new Error('index.html has no <meta charset="utf-8"> to put the Content-Security-Policy after');
  const at = charset.index + charset[0].length;
  return `${html.slice(0, at)}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />${html.slice(at)}`;
}

export function cspMeta(): Plugin {
  return { name: 'parley:csp-meta', apply: 'build', transformIndexHtml: (html) => withCspMeta(html) };
}
