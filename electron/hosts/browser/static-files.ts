/**
 * The built renderer served from one folder: nothing outside it (no `..`, no symbolic link out,
 * no dot files), GET and HEAD only (the caller checks), the CSP and security headers on every
 * file, hashed assets cached for good and index.html never.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeOf } from '../content-types.js';
import { securityHeaders, sendText } from './responses.js';

export interface StaticFiles {
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>;
}

export async function openStaticFiles(staticDir: string): Promise<StaticFiles> {
  const root = await realpath(staticDir);
  const inside = (p: string) => p === root || p.startsWith(root + path.sep);

  async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'Bad request\n');
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return sendText(res, 400, 'Bad request\n');
    if (decoded.endsWith('/')) decoded += 'index.html';
    if (decoded.split('/').some((segment) => segment.startsWith('.'))) return sendText(res, 404, 'Not found\n');
    const candidate = path.resolve(root, '.' + decoded);
    if (!inside(candidate)) return sendText(res, 404, 'Not found\n');
    let file: string;
    let size: number;
    try {
      file = await realpath(candidate);
      if (!inside(file)) return sendText(res, 404, 'Not found\n');
      const info = await stat(file);
      if (!info.isFile()) return sendText(res, 404, 'Not found\n');
      size = info.size;
    } catch {
      return sendText(res, 404, 'Not found\n');
    }
    const ext = path.extname(file).toLowerCase();
    const isHtml = ext === '.html';
    const hashedAsset = decoded.startsWith('/assets/') && !isHtml;
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(size),
      'Cache-Control': isHtml ? 'no-store' : hashedAsset ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  return { serve };
}
