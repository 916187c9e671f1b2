/**
 * MSRP URIs (RFC 4975 §6, grammar in §9):
 *   msrp[s]://[userinfo@]host[:port][/session-id];transport*(;name[=value])
 * parsed into parts, formatted back, and compared by the rules of §6.1 (`sameMsrpUri`). Parsing
 * returns undefined for anything off the grammar: these come from the network (To-Path,
 * From-Path, SDP a=path) and must never throw.
 */

export interface MsrpUri {
  secure: boolean; // msrps:
  userinfo?: string;
  /** As written, without IPv6 brackets. */
  host: string;
  port?: number;
  sessionId?: string;
  /** Lower case ("tcp" for everything Parley speaks). */
  transport: string;
  /** Other URI parameters in order; value undefined for a bare name. */
  params: ReadonlyArray<readonly [string, string | undefined]>;
}

const MAX_URI_LENGTH = 2048;
// RFC 3986 unreserved plus what §9 allows in a session-id.
const SESSION_ID = /^[A-Za-z0-9\-._~+=/]+$/;
const USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,=]|%[0-9A-Fa-f]{2})+$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const ALPHANUM = /^[A-Za-z0-9]+$/;

export function parseMsrpUri(text: string): MsrpUri | undefined {
  if (text.length > MAX_URI_LENGTH) return undefined;
  const scheme = /^(msrps?):\/\//i.exec(text);
  if (!scheme) return undefined;
  const rest = text.slice(scheme[0].length);
  const semi = rest.indexOf(';');
  if (semi < 0) return undefined; // the transport is mandatory
  const beforeParams = rest.slice(0, semi);
  const slash = beforeParams.indexOf('/');
  const authority = slash < 0 ? beforeParams : beforeParams.slice(0, slash);
  const sessionId = slash < 0 ? undefined : beforeParams.slice(slash + 1);
  if (sessionId !== undefined && !SESSION_ID.test(sessionId)) return undefined;
  const auth = parseAuthority(authority);
  if (!auth) return undefined;
  const [transport, ...paramTexts] = rest.slice(semi + 1).split(';');
  if (!transport || !ALPHANUM.test(transport)) return undefined;
  const params: Array<readonly [string, string | undefined]> = [];
  for (const p of paramTexts) {
    const eq = p.indexOf('=');
    const name = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? undefined : p.slice(eq + 1);
    if (!TOKEN.test(name) || (value !== undefined && !TOKEN.test(value))) return undefined;
    params.push([name, value]);
  }
  return { secure: scheme[1]!.toLowerCase() === 'msrps', ...auth, sessionId, transport: transport.toLowerCase(), params };
}

function parseAuthority(text: string): Pick<MsrpUri, 'userinfo' | 'host' | 'port'> | undefined {
  const at = text.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : text.slice(0, at);
  if (userinfo !== undefined && !USERINFO.test(userinfo)) return undefined;
  const hostport = at < 0 ? text : text.slice(at + 1);
  let host: string;
  let portText: string | undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return undefined;
    host = hostport.slice(1, close);
    if (!IPV6.test(host) || !host.includes(':')) return undefined;
    const after = hostport.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return undefined;
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = hostport.indexOf(':');
    host = colon < 0 ? hostport : hostport.slice(0, colon);
    portText = colon < 0 ? undefined : hostport.slice(colon + 1);
    if (!REG_NAME.test(host)) return undefined;
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    port = Number(portText);
    if (port > 65535) return undefined;
  }
  return { ...(userinfo !== undefined ? { userinfo } : {}), host, ...(port !== undefined ? { port } : {}) };
}

export function formatMsrpUri(uri: MsrpUri): string {
  const host = uri.host.includes(':') ? `[${uri.host}]` : uri.host;
  let s = `${uri.secure ? 'msrps' : 'msrp'}://`;
  if (uri.userinfo !== undefined) s += `${uri.userinfo}@`;
  s += host;
  if (uri.port !== undefined) s += `:${uri.port}`;
  if (uri.sessionId !== undefined) s += `/${uri.sessionId}`;
  s += `;${uri.transport}`;
  for (const [name, value] of uri.params) s += value === undefined ? `;${name}` : `;${name}=${value}`;
  return s;
}

/**
 * RFC 4975 §6.1: the scheme matches; userinfo is ignored; the host compares case-insensitively
 * after percent-decoding (IP addresses by address, so two spellings of one IPv6 address match);
 * a port given in one must be given and equal in the other; the session-id compares
 * case-sensitively and is present in both or neither; the transport matches case-insensitively.
 * Other parameters do not take part.
 */
export function sameMsrpUri(a: MsrpUri, b: MsrpUri): boolean {
  return (
    a.secure === b.secure &&
    hostKey(a.host) === hostKey(b.host) &&
    a.port === b.port &&
    a.sessionId === b.sessionId &&
    a.transport === b.transport
  );
}

function hostKey(host: string): string {
  if (host.includes(':')) return ipv6Key(host);
  try {
    return decodeURIComponent(host).toLowerCase();
  } catch {
    return host.toLowerCase();
  }
}

/** One spelling per IPv6 address, so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
function ipv6Key(host: string): string {
  try {
    // WHATWG URL writes an IPv6 literal in its one canonical form (RFC 5952).
    return new URL(`http://[${host}]/`).hostname;
  } catch {
    return host.toLowerCase();
  }
}
