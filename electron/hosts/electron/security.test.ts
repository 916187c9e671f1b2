import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  decideNavigation,
  decideWindowOpen,
  escapeNotificationMarkup,
  externalUrl,
  isAppUrl,
  isPermissionAllowed,
  withSecurityHeaders,
} from './security.js';

describe('isAppUrl', () => {
  it('accepts only app://parley', () => {
    expect(isAppUrl('app://parley/index.html')).toBe(true);
    expect(isAppUrl('app://parley/')).toBe(true);
    expect(isAppUrl('app://parley.evil/index.html')).toBe(false);
    expect(isAppUrl('app://evil/')).toBe(false);
    expect(isAppUrl('app://user@parley/')).toBe(false);
    expect(isAppUrl('http://parley/')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('externalUrl', () => {
  it('lets http(s) links with a host out, normalised', () => {
    expect(externalUrl('https://example.org/a?b=c#d')).toBe('https://example.org/a?b=c#d');
    expect(externalUrl('HTTP://Example.org')).toBe('http://example.org/');
  });

  it('lets a mailto: link with one plain address out, and no other mailto:', () => {
    expect(externalUrl('mailto:bob@example.org')).toBe('mailto:bob@example.org');
    expect(decideWindowOpen('mailto:bob@example.org')).toEqual({ action: 'external', url: 'mailto:bob@example.org' });
    for (const url of [
      'mailto:bob@example.org?subject=x&body=y',
      'mailto:a@b.org,c@d.org',
      'mailto:',
      'mailto:bob',
      'mailto:bob@example.org%0Abcc:x@y.org',
    ]) {
      expect(externalUrl(url), url).toBeNull();
    }
  });

  it('keeps everything else in', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>1</script>',
      'smb://server/share',
      'ms-msdt:/id',
      'sip:bob@example.org',
      'https://user:secret@example.org/',
      'https://example.org/' + 'a'.repeat(3000),
      'app://parley/index.html',
      '//example.org',
      42,
    ]) {
      expect(externalUrl(url), String(url).slice(0, 40)).toBeNull();
    }
  });
});

describe('decisions', () => {
  it('navigation stays in the app, web links go outside, the rest is denied', () => {
    expect(decideNavigation('app://parley/index.html')).toEqual({ action: 'allow' });
    expect(decideNavigation('https://example.org/')).toEqual({ action: 'external', url: 'https://example.org/' });
    expect(decideNavigation('file:///etc/passwd')).toEqual({ action: 'deny' });
  });

  it('window.open never opens an app window', () => {
    expect(decideWindowOpen('app://parley/index.html')).toEqual({ action: 'deny' });
    expect(decideWindowOpen('https://example.org/')).toEqual({ action: 'external', url: 'https://example.org/' });
  });

  it('permissions: notifications for the app only', () => {
    expect(isPermissionAllowed('notifications', 'app://parley/index.html')).toBe(true);
    expect(isPermissionAllowed('notifications', 'https://example.org/')).toBe(false);
    expect(isPermissionAllowed('media', 'app://parley/index.html')).toBe(false);
  });
});

describe('headers', () => {
  it('the CSP is strict', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'connect-src': "'self'",
      'img-src': "'self' data:",
      'media-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
  });

  it('replaces response security headers whatever their case', () => {
    const headers = withSecurityHeaders({ 'content-security-policy': ['default-src *'], 'x-other': ['1'] });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['x-other']).toEqual(['1']);
    expect(withSecurityHeaders(undefined)['X-Content-Type-Options']).toEqual(['nosniff']);
  });

  it('escapes notification markup', () => {
    expect(escapeNotificationMarkup('<b>a & b</b>')).toBe('&lt;b&gt;a &amp; b&lt;/b&gt;');
  });
});
