/**
 * XCAP (RFC 4825) over HTTP: whole documents of one user, read and written with their ETags,
 * with HTTP Digest (the SIP account's credentials; sip/auth/digest.ts signs). Nothing here knows
 * what a document means (resource-lists.ts, rls-services.ts) or what to do on a conflict
 * (core/presence/roster-sync): a PUT whose precondition fails is returned as 'conflict'.
 *
 * Bounded and never throwing for what the server does: a body larger than MAX_DOCUMENT_BYTES, a
 * timeout, a refused connection or an unexpected status come back as an XcapError the caller can
 * show; the caller's data is untouched by any of them.
 */
import { Digest } from '../auth/digest.js';
import { parseDigestChallenge } from './www-authenticate.js';

export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export interface XcapSettings {
  /** The XCAP root URI, e.g. http://127.0.0.1:5060/xcap-root (no trailing slash needed). */
  root: string;
  /** The user's XUI: their AOR, e.g. sip:alice@example.org. */
  xui: string;
  username?: string;
  password?: string;
}

export type XcapErrorCode = 'network' | 'unauthorized' | 'forbidden' | 'too-large' | 'server';

export class XcapError extends Error {
  override readonly name = 'XcapError';
  constructor(
    readonly code: XcapErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type XcapRead = { found: true; etag: string | undefined; body: string } | { found: false };
export type XcapWrite = { ok: true; etag: string | undefined } | { ok: false; conflict: true };

export class XcapClient {
  private readonly base: string;
  private digest: Digest | undefined;

  constructor(private readonly settings: XcapSettings) {
    this.base = settings.root.replace(/\/+$/, '');
  }

  /** The URL of one of this user's documents, e.g. resource-lists/users/sip:alice@x/index. */
  documentUrl(auid: string, file = 'index'): string {
    return `${this.base}/${auid}/users/${this.settings.xui}/${file}`;
  }

  async get(auid: string, file?: string): Promise<XcapRead> {
    const response = await this.request('GET', this.documentUrl(auid, file));
    if (response.status === 404) return { found: false };
    if (response.status !== 200) throw statusError(response.status);
    return { found: true, etag: response.etag, body: response.body };
  }

  /**
   * Writes a whole document. `etag`: the version this one replaces (If-Match), or null for "only
   * if there is none yet" (If-None-Match: *); a 412 is { conflict: true }.
   */
  async put(auid: string, body: string, contentType: string, etag: string | null | undefined, file?: string): Promise<XcapWrite> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (etag === null) headers['if-none-match'] = '*';
    else if (etag !== undefined) headers['if-match'] = etag;
    const response = await this.request('PUT', this.documentUrl(auid, file), headers, body);
    if (response.status === 412) return { ok: false, conflict: true };
    if (response.status !== 200 && response.status !== 201) throw statusError(response.status);
    return { ok: true, etag: response.etag };
  }

  private async request(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<{ status: number; etag: string | undefined; body: string }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new XcapError('network', 'the XCAP root is not a URL');
    }
    const path = target.pathname + target.search;
    const send = async (authorization?: string, again = true): Promise<Answer> => {
      try {
        const response = await fetch(target, {
          method,
          headers: { ...headers, ...(authorization ? { authorization } : {}) },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        return {
          status: response.status,
          etag: response.headers.get('etag') ?? undefined,
          challenge: response.headers.get('www-authenticate'),
          body: await boundedText(response),
        };
      } catch (error) {
        if (error instanceof XcapError) throw error;
        // A kept-alive connection the server closed as we reused it (Kamailio's xhttp closes idle
        // ones): the request was not taken, so it goes once more, on a new connection. Safe for a
        // PUT too: one the server did take comes back 412 on the way again, and is merged.
        if (again && closedUnderUs(error)) return send(authorization, false);
        throw new XcapError('network', `the XCAP server cannot be reached (${error instanceof Error ? error.name : 'error'})`);
      }
    };
    const request = { method, ruri: { toString: () => path } };
    let response = await send(this.digest?.reuseFor(request, body) ? this.digest.toString() : undefined);
    if (response.status === 401 && this.settings.username && this.settings.password !== undefined) {
      const challenge = parseDigestChallenge(response.challenge ?? '');
      const digest = new Digest(this.settings.username, this.settings.password);
      if (challenge && digest.authenticate(request, challenge, body)) {
        this.digest = digest;
        response = await send(digest.toString());
      }
    }
    if (response.status === 401) throw new XcapError('unauthorized', 'the XCAP server refused the account credentials', 401);
    return response;
  }
}

interface Answer {
  status: number;
  etag: string | undefined;
  challenge: string | null;
  body: string;
}

/** fetch's error for a connection closed before any answer (undici's socket error, or a reset). */
function closedUnderUs(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}

function statusError(status: number): XcapError {
  if (status === 403) return new XcapError('forbidden', 'the XCAP server does not let this account at the document', status);
  return new XcapError('server', `the XCAP server answered ${status}`, status);
}

/** The body as text, refused once it passes MAX_DOCUMENT_BYTES (the rest is not read). */
async function boundedText(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_DOCUMENT_BYTES) {
    await response.body?.cancel();
    throw new XcapError('too-large', 'the XCAP document is too large');
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_DOCUMENT_BYTES) throw new XcapError('too-large', 'the XCAP document is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
