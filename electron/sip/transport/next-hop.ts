/**
 * Where a request goes next (RFC 3261 §8.1.2, §16.12 loose routing; RFC 3263 transport choice):
 * the top Route when it is a loose router (`;lr`), else the Request-URI. The transport comes
 * from the URI (`transport=` parameter, `sips:` means TLS), else the account's default.
 * Name resolution happens later (resolver.ts); this is pure text work.
 */
import { headerValues, type MessageHead } from '../wire/headers.js';
import type { TransportKind } from './flow.js';

export interface HopTarget {
  transport: TransportKind;
  host: string;
  /** Explicit port from the URI, if any (undefined allows SRV lookup). */
  port?: number;
  /** True when the URI is sips: (TLS required end to end). */
  secure: boolean;
}

export interface ParsedUri {
  scheme: 'sip' | 'sips';
  user?: string;
  host: string;
  port?: number;
  params: Map<string, string | undefined>;
}

/** Parses a sip:/sips: URI (optionally inside <...> with a display name). Returns undefined when not one. */
export function parseSipUri(text: string): ParsedUri | undefined {
  const inner = /<([^>]*)>/.exec(text)?.[1] ?? text.trim();
  const match = /^(sips?):(?:([^@;?]+)@)?(\[[0-9a-fA-F:.]+\]|[^:;?>\s@]+)(?::(\d{1,5}))?((?:;[^?]*)?)(?:\?.*)?$/i.exec(inner);
  if (!match) return undefined;
  const params = new Map<string, string | undefined>();
  for (const part of (match[5] ?? '').split(';')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) params.set(part.toLowerCase(), undefined);
    else params.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  const host = match[3]!;
  return {
    scheme: match[1]!.toLowerCase() as 'sip' | 'sips',
    user: match[2] ? safeDecode(match[2]) : undefined,
    host: host.startsWith('[') ? host.slice(1, -1) : host.toLowerCase(),
    port: match[4] ? Number(match[4]) : undefined,
    params,
  };
}

export function uriTarget(uri: ParsedUri, fallback: TransportKind): HopTarget {
  const maddr = uri.params.get('maddr');
  const param = uri.params.get('transport')?.toLowerCase();
  const secure = uri.scheme === 'sips';
  let transport: TransportKind = fallback;
  if (secure) transport = 'tls';
  else if (param === 'udp' || param === 'tcp' || param === 'tls') transport = param;
  const host = maddr ? maddr.replace(/^\[(.*)\]$/, '$1') : uri.host;
  return { transport, host, port: uri.port, secure };
}

export function requestTarget(head: MessageHead, fallback: TransportKind): HopTarget | undefined {
  const route = headerValues(head, 'route')[0];
  if (route !== undefined) {
    const parsed = parseSipUri(route);
    if (parsed && parsed.params.has('lr')) return uriTarget(parsed, fallback);
    // A strict router (no lr) is not supported by sip.js either; fall through to the Request-URI.
  }
  const ruri = head.requestUri ? parseSipUri(head.requestUri) : undefined;
  return ruri ? uriTarget(ruri, fallback) : undefined;
}

/** A user part with a stray '%' is kept as typed rather than thrown on. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
