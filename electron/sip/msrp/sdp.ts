/**
 * The SDP of an MSRP session (RFC 4975 §8, connection roles by RFC 6135): one `m=message` line
 * with `TCP/MSRP`, or `TCP/TLS/MSRP` with msrps: paths and the certificate's `a=fingerprint`
 * (§14.4), the types we take (`a=accept-types`, `a=accept-wrapped-types` for what may
 * come inside message/cpim), our URI (`a=path`) and who connects (`a=setup`). Written for our
 * offers and answers; read from the peer's, where every failure is a value with a reason (the
 * caller answers 488), never a throw: the SDP comes from the network.
 */
import type { Fingerprint } from './certificate.js';
import { formatFileOffer, parseFileOffer, type FileOffer } from './file-selector.js';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from './uri.js';

/** active: we connect; passive: we wait for the peer; actpass: the answerer chooses (offers only). */
export type Setup = 'active' | 'passive' | 'actpass';

export interface LocalMedia {
  /** Our MSRP URI: host, port and session-id of the listener that takes this session. */
  uri: MsrpUri;
  setup: Setup;
  acceptTypes: readonly string[];
  acceptWrappedTypes: readonly string[];
  /** The relay URIs (its Use-Path, RFC 4976 §6) that go before ours in our a=path, when we use one. */
  relays?: readonly MsrpUri[];
  /** Our certificate's, when our URI is msrps. */
  fingerprint?: Fingerprint;
  /** A file transfer (RFC 5547): the file offered, or the one an answer takes, and which way it goes. */
  file?: FileOffer;
  direction?: 'sendonly' | 'recvonly';
}

export interface RemoteMedia {
  /** The peer's a=path, first hop first; its last URI is the peer itself. */
  path: MsrpUri[];
  acceptTypes: string[];
  acceptWrappedTypes: string[];
  /** As the peer wrote it, or the RFC 6135 default when absent (see parseMsrpSdp). */
  setup: Setup;
  /** The peer's certificate as its a=fingerprint names it (msrps; required there). */
  fingerprint?: Fingerprint;
  /** The file it offers or asks for (RFC 5547: a=file-selector and its company), when it is a file transfer. */
  file?: FileOffer;
}

export type SdpResult = { ok: true; media: RemoteMedia } | { ok: false; reason: string };

/** Bounds on what a peer's SDP may hold: far above any real session description. */
const MAX_SDP_BYTES = 16 * 1024;
const MAX_LINES = 256;
const MAX_PATH_URIS = 8;
const MAX_TYPES = 64;
const MEDIA_TYPE = /^(?:\*|[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/(?:\*|[!#$%&'*+\-.^_`|~0-9A-Za-z]+))$/;

/** Our offer or answer. `version` is the o= line's session version (a fresh session: any number). */
export function msrpSdp(local: LocalMedia, sessionVersion = 1): string {
  const ip = local.uri.host.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=- ${sessionVersion} ${sessionVersion} IN ${ip} ${local.uri.host}`,
    's=-',
    `c=IN ${ip} ${local.uri.host}`,
    't=0 0',
    `m=message ${local.uri.port ?? 0} ${local.uri.secure ? 'TCP/TLS/MSRP' : 'TCP/MSRP'} *`,
    `a=accept-types:${local.acceptTypes.join(' ')}`,
    ...(local.acceptWrappedTypes.length > 0 ? [`a=accept-wrapped-types:${local.acceptWrappedTypes.join(' ')}`] : []),
    `a=path:${[...(local.relays ?? []), local.uri].map(formatMsrpUri).join(' ')}`,
    `a=setup:${local.setup}`,
    ...(local.fingerprint ? [`a=fingerprint:${local.fingerprint.hash} ${local.fingerprint.value}`] : []),
    ...(local.direction ? [`a=${local.direction}`] : []),
    ...(local.file ? formatFileOffer(local.file).map((line) => `a=${line}`) : []),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The MSRP media of a peer's SDP: the first `m=message` line over TCP/MSRP or TCP/TLS/MSRP with a
 * non-zero port.
 * `role` says whether this SDP is an offer or an answer, for the default of a=setup (RFC 6135 §4.2:
 * an offerer that says nothing is active, an answerer that says nothing is passive).
 */
export function parseMsrpSdp(sdp: string, role: 'offer' | 'answer'): SdpResult {
  if (Buffer.byteLength(sdp, 'utf8') > MAX_SDP_BYTES) return fail('the SDP is too large');
  const lines = sdp.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length > MAX_LINES) return fail('the SDP has too many lines');
  if (lines[0] !== 'v=0') return fail('not an SDP (no v=0 first)');
  // The lines of the first usable m=message section.
  let section: string[] | undefined;
  let current: string[] | undefined;
  let sawMessage = false;
  let secure = false;
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) return fail('a line that is not type=value');
    if (line.startsWith('m=')) {
      current = undefined;
      if (section) break;
      const media = /^m=message (\d{1,5}) (\S+) /.exec(line);
      if (!media) continue;
      sawMessage = true;
      if (Number(media[1]) === 0) continue; // a refused or disabled stream
      const proto = media[2]!.toUpperCase();
      if (proto !== 'TCP/MSRP' && proto !== 'TCP/TLS/MSRP') continue;
      secure = proto === 'TCP/TLS/MSRP';
      current = section = [];
    } else if (current) current.push(line);
  }
  if (!section) return fail(sawMessage ? 'no m=message over TCP/MSRP or TCP/TLS/MSRP with a port' : 'no m=message line');
  const attributes = new Map<string, string>();
  for (const line of section) {
    const attribute = /^a=([A-Za-z0-9\-_.]+)(?::(.*))?$/.exec(line);
    if (!attribute) continue;
    const name = attribute[1]!.toLowerCase();
    if (attributes.has(name)) return fail(`a=${name} twice`);
    attributes.set(name, attribute[2] ?? '');
  }
  const pathText = attributes.get('path');
  if (pathText === undefined) return fail('no a=path');
  const pathParts = pathText.trim().split(/ +/);
  if (pathParts.length > MAX_PATH_URIS) return fail('a=path has too many URIs');
  const path: MsrpUri[] = [];
  for (const part of pathParts) {
    const uri = parseMsrpUri(part);
    if (!uri) return fail('a=path holds something that is not an MSRP URI');
    path.push(uri);
  }
  if (path.some((uri) => uri.transport !== 'tcp')) return fail('a=path is not MSRP over TCP');
  // The m= line and every hop agree (RFC 4975 §14.1): TCP/TLS/MSRP goes with msrps: URIs only.
  if (path.some((uri) => uri.secure !== secure))
    return fail(secure ? 'TCP/TLS/MSRP with an msrp: a=path' : 'TCP/MSRP with an msrps: a=path');
  // Read for msrps only, where it is what the peer's certificate is checked by (media level).
  const fingerprintText = secure ? attributes.get('fingerprint') : undefined;
  const fingerprint = fingerprintText === undefined ? undefined : parseFingerprint(fingerprintText);
  if (secure && !fingerprint) return fail('msrps without an a=fingerprint Parley can check (SHA-256, colon-separated hex)');
  if (path[0]!.port === undefined) return fail('a=path has no port to connect to');
  const acceptTypes = typeList(attributes.get('accept-types'));
  if (!acceptTypes || acceptTypes.length === 0) return fail('no usable a=accept-types');
  const wrapped = attributes.has('accept-wrapped-types') ? typeList(attributes.get('accept-wrapped-types')) : [];
  if (!wrapped) return fail('a=accept-wrapped-types is not a list of types');
  const setupText = attributes.get('setup')?.trim().toLowerCase();
  const setup = setupText ?? (role === 'offer' ? 'active' : 'passive');
  if (setup !== 'active' && setup !== 'passive' && setup !== 'actpass') return fail(`a=setup:${setupText} is not one Parley knows`);
  if (role === 'answer' && setup === 'actpass') return fail('an answer must choose active or passive');
  let file: FileOffer | undefined;
  if (attributes.has('file-selector')) {
    file = parseFileOffer(attributes);
    if (!file) return fail('a file transfer whose a=file-selector (or a file attribute beside it) is not readable');
  }
  return {
    ok: true,
    media: { path, acceptTypes, acceptWrappedTypes: wrapped, setup, ...(fingerprint ? { fingerprint } : {}), ...(file ? { file } : {}) },
  };
}

/** Our role in answer to an offer's a=setup: we wait unless the offerer waits (RFC 6135 §4.2). */
export function answerSetup(offered: Setup): 'active' | 'passive' {
  return offered === 'passive' ? 'active' : 'passive';
}

/** Whether the peer takes `type` at the top level (a=accept-types, `*` and `type/*` allowed). */
export function acceptsType(media: RemoteMedia, type: string): boolean {
  const wanted = type.toLowerCase();
  const [major] = wanted.split('/');
  return media.acceptTypes.some((t) => t === '*' || t === wanted || t === `${major}/*`);
}

/** RFC 4572's `hash-func fingerprint`; only SHA-256, the hash our certificates are checked by. */
function parseFingerprint(text: string): Fingerprint | undefined {
  const match = /^\s*(sha-256)\s+((?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})\s*$/i.exec(text);
  return match ? { hash: 'SHA-256', value: match[2]!.toUpperCase() } : undefined;
}

function typeList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const types = text.trim().split(/ +/).filter(Boolean);
  if (types.length > MAX_TYPES || types.some((t) => !MEDIA_TYPE.test(t))) return undefined;
  return types.map((t) => t.toLowerCase());
}

function fail(reason: string): SdpResult {
  return { ok: false, reason };
}
