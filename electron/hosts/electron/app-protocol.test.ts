import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, createAppRequestHandler, resolveAppAsset } from './app-protocol.js';

let base = '';
let root = '';
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'parley-app-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(path.join(root, 'assets', 'main.js'), 'console.log(1)');
  await writeFile(path.join(base, 'secret.txt'), 'do not serve');
});
afterAll(async () => rm(base, { recursive: true, force: true }));

describe('resolveAppAsset', () => {
  it('maps app://parley paths into the root', () => {
    expect(resolveAppAsset(root, 'app://parley/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://parley/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://parley/assets/main.js?v=1#x')).toBe(path.join(root, 'assets', 'main.js'));
  });

  it('never leaves the root', () => {
    for (const url of [
      'app://parley/../secret.txt',
      'app://parley/%2e%2e/secret.txt',
      'app://parley/assets/..%2f..%2fsecret.txt',
      'app://parley/..%5csecret.txt',
      'app://parley/%2e%2e%5c%2e%2e%5csecret.txt',
    ]) {
      const file = resolveAppAsset(root, url);
      if (file !== null) expect(path.relative(root, file).startsWith('..'), url).toBe(false);
    }
    expect(resolveAppAsset(root, 'app://parley/a%00b')).toBeNull();
    expect(resolveAppAsset(root, 'app://parley/%E0%A4%A')).toBeNull();
    expect(resolveAppAsset(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'https://parley/index.html')).toBeNull();
  });
});

describe('createAppRequestHandler', () => {
  const handler = () => createAppRequestHandler({ rootDir: root });

  it('serves files with their type and the security headers', async () => {
    const response = await handler()(new Request('app://parley/assets/main.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers 404 for missing files, folders without index and escapes', async () => {
    expect((await handler()(new Request('app://parley/missing.js'))).status).toBe(404);
    expect((await handler()(new Request('app://parley/assets'))).status).toBe(404);
    const escaped = await handler()(new Request('app://parley/%2e%2e/secret.txt'));
    expect(escaped.status).toBe(404);
    expect(await escaped.text()).not.toContain('do not serve');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await handler()(new Request('app://parley/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    const head = await handler()(new Request('app://parley/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
  });

  it('knows the usual content types', () => {
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('a.WOFF2')).toBe('font/woff2');
    expect(contentTypeOf('message-1a2b.wav')).toBe('audio/wav');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
