import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BROWSER_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { cspMeta, withCspMeta } from './csp-meta.js';

const source = await readFile(new URL('./index.html', import.meta.url), 'utf8');
const metaPolicies = (html: string) =>
  [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/gi)].map((m) => m[1]);

describe('the built index.html', () => {
  it('carries exactly the one policy, the browser host header minus what only works as a header', () => {
    const html = withCspMeta(source);
    expect(metaPolicies(html)).toEqual([META_CONTENT_SECURITY_POLICY]);
    expect(META_CONTENT_SECURITY_POLICY).toBe(BROWSER_CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
    // Before any script or stylesheet, so nothing loads unpoliced.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('is written by the build only, and the source holds no copy of its own', () => {
    expect(metaPolicies(source)).toEqual([]);
    const plugin = cspMeta();
    expect(plugin.apply).toBe('build');
    const transform = plugin.transformIndexHtml as (html: string) => string;
    expect(metaPolicies(transform(source))).toEqual([META_CONTENT_SECURITY_POLICY]);
  });

  it('stops the build rather than ship a page without its policy, or with two', () => {
    expect(() => withCspMeta('<html><head></head></html>')).toThrow(/charset/);
    expect(() => withCspMeta(withCspMeta(source))).toThrow(/already/);
    expect(() => withCspMeta(source, `default-src "x"`)).toThrow(/escaping/);
  });
});

describe('the policy', () => {
  it('differs between hosts only in the WebSocket the browser host needs', () => {
    expect(BROWSER_CONTENT_SECURITY_POLICY.replace(' ws://127.0.0.1:*', '')).toBe(CONTENT_SECURITY_POLICY);
  });
});
