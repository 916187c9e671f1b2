import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../hosts/electron/security.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const electron = await import('./testing/fake-electron.js');
const { hardenSession } = await import('./session.js');

beforeEach(() => electron.resetFakeElectron());

function hardened() {
  const session = new electron.FakeSession();
  hardenSession(session as never);
  return session;
}

describe('hardenSession', () => {
  it('sets the strict CSP on responses, replacing a looser one', () => {
    const session = hardened();
    let result: { responseHeaders?: Record<string, string[]> } = {};
    session.headersListener?.(
      { url: 'app://parley/index.html', responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } },
      (response: typeof result) => (result = response),
    );
    expect(result.responseHeaders?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(result.responseHeaders?.['content-security-policy']).toBeUndefined();
    expect(result.responseHeaders?.['Content-Type']).toEqual(['text/html']);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('grants only notifications, and only to the app itself', () => {
    const session = hardened();
    const ask = (permission: string, url: string) => {
      let granted: boolean | undefined;
      const contents = { getURL: () => url };
      session.permissionRequestHandler?.(contents, permission, (ok: boolean) => (granted = ok), { requestingUrl: url });
      return granted;
    };
    expect(ask('notifications', 'app://parley/index.html')).toBe(true);
    expect(ask('notifications', 'https://evil.example/')).toBe(false);
    expect(ask('media', 'app://parley/index.html')).toBe(false);
    expect(ask('geolocation', 'app://parley/index.html')).toBe(false);
    expect(ask('openExternal', 'app://parley/index.html')).toBe(false);
    expect(session.permissionCheckHandler?.(null, 'notifications', 'app://parley')).toBe(true);
    expect(session.permissionCheckHandler?.(null, 'clipboard-read', 'app://parley')).toBe(false);
    expect(session.devicePermissionHandler?.({})).toBe(false);
  });

  it('blocks downloads', () => {
    const session = hardened();
    let prevented = false;
    session.emit('will-download', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});
