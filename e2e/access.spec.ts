import WebSocket from 'ws';
import { expect, openApp, test } from './fixtures.js';

type Attempt = { open: true } | { open: false; status: number };

function tryWebSocket(url: string, headers: Record<string, string>): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ open: true });
    });
    ws.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve({ open: false, status: response.statusCode ?? 0 });
    });
    ws.once('error', reject);
  });
}

test.describe('browser host access', () => {
  test('a page without the token is refused with 401 and a hint', async ({ page, parley }) => {
    const response = await page.goto(`${parley.origin}/`);
    expect(response?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('Open the URL Parley printed');

    const wrong = await page.goto(`${parley.origin}/?token=not-the-token`);
    expect(wrong?.status()).toBe(401);
    const asset = await page.request.get(`${parley.origin}/index.html`);
    expect(asset.status()).toBe(401);
  });

  test('the WebSocket needs the cookie (or token) and our own Origin', async ({ page, parley }) => {
    const wsUrl = `ws://127.0.0.1:${parley.host.port}/ws`;
    expect(await tryWebSocket(wsUrl, { Origin: parley.origin })).toEqual({ open: false, status: 401 });

    // Log in through the printed URL to get the cookie the browser would hold.
    await openApp(page, parley);
    const cookies = await page.context().cookies(parley.origin);
    const cookie = cookies.find((c) => c.name === `parley_token_${parley.host.port}`);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const cookieHeader = `${cookie!.name}=${cookie!.value}`;

    expect(await tryWebSocket(wsUrl, { Origin: parley.origin, Cookie: cookieHeader })).toEqual({ open: true });
    expect(await tryWebSocket(wsUrl, { Origin: 'http://evil.example', Cookie: cookieHeader })).toEqual({ open: false, status: 403 });
    expect(
      await tryWebSocket(wsUrl, {
        Origin: `http://rebind.example:${parley.host.port}`,
        Host: `rebind.example:${parley.host.port}`,
        Cookie: cookieHeader,
      }),
    ).toEqual({ open: false, status: 403 });
    // Cookies never reach script in the page.
    expect(await page.evaluate('document.cookie')).toBe('');
  });
});
