/**
 * An MSRP relay reserved for our side of a session (RFC 4976 §5): a connection to the relay, an
 * AUTH answered 401 with a digest challenge, the AUTH again with Authorization (the digest of
 * sip/auth/digest.ts, method AUTH, the relay's URI as digest-uri), and the 200's Use-Path (the
 * relay's URIs that go before ours in our a=path) and Expires. The AUTH asks for no time of its
 * own (RFC 4976 §5.2 leaves Expires to the relay): the bundled relay refuses one (server/kamailio.cfg). Every failure is a value with a
 * reason a person can read, and the connection is closed then; the caller goes on without the
 * relay. The relay's answers are network input: read, bounded by the frame parser, never thrown.
 */
import { Digest } from '../auth/digest.js';
import { parseDigestChallenge } from '../xcap/www-authenticate.js';
import type { MsrpConnection, MsrpFrame } from './connection.js';
import { encodeRequest, newTransactionId } from './frame-encoder.js';
import type { ExtraHeaders, MsrpResponse } from './message.js';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from './uri.js';

/** How long the relay may take to answer one AUTH. */
export const AUTH_TIMEOUT_MS = 10_000;

export interface RelayCredentials {
  username: string;
  password: string;
}

export type Reservation =
  | { ok: true; connection: MsrpConnection; usePath: readonly MsrpUri[]; expires: number | undefined }
  | { ok: false; code: number | undefined; reason: string };

/**
 * AUTH on `connection` (already made to `relay`) for `local`, our URI in the session. Resolves
 * once; on failure the connection is closed; on success what the relay sends next is held for
 * the session that takes the connection (a peer may greet before that session exists).
 */
export async function reserveRelay(
  connection: MsrpConnection,
  relay: MsrpUri,
  local: MsrpUri,
  credentials: RelayCredentials | undefined,
): Promise<Reservation> {
  const responses = new Map<string, (response: MsrpResponse | string) => void>();
  connection.listen({
    frame: (item: MsrpFrame) => {
      if (item.kind === 'response') responses.get(item.response.transactionId)?.(item.response);
    },
    closed: (reason) => {
      for (const settle of responses.values()) settle(reason);
    },
  });
  const auth = (headers: ExtraHeaders): Promise<MsrpResponse | string> => {
    const transactionId = newTransactionId();
    const encoded = encodeRequest({
      method: 'AUTH',
      transactionId,
      toPath: [relay],
      fromPath: [local],
      headers,
    });
    if (!encoded.ok) return Promise.resolve(`the AUTH could not be written: ${encoded.reason}`);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('the relay did not answer AUTH in time'), AUTH_TIMEOUT_MS);
      const settle = (outcome: MsrpResponse | string) => {
        clearTimeout(timer);
        responses.delete(transactionId);
        resolve(outcome);
      };
      responses.set(transactionId, settle);
      if (!connection.send(encoded.bytes)) settle('the connection to the relay closed');
    });
  };
  const fail = (code: number | undefined, reason: string): Reservation => {
    connection.close(reason);
    return { ok: false, code, reason };
  };

  let answer = await auth([]);
  if (typeof answer !== 'string' && answer.code === 401) {
    if (!credentials) return fail(401, 'the relay asks for a password and the account has none');
    const challenge = parseDigestChallenge(header(answer, 'WWW-Authenticate') ?? '');
    const digest = new Digest(credentials.username, credentials.password);
    if (!challenge || !digest.authenticate({ method: 'AUTH', ruri: { toString: () => formatMsrpUri(relay) } }, challenge))
      return fail(401, 'the relay sent a challenge Parley cannot answer');
    answer = await auth([['Authorization', digest.toString()]]);
    if (typeof answer !== 'string' && answer.code === 401) return fail(401, 'the relay refused the user name or password (401)');
  }
  if (typeof answer === 'string') return fail(undefined, answer);
  if (answer.code !== 200) return fail(answer.code, `the relay refused AUTH: ${answer.code} ${answer.comment ?? ''}`.trim());
  const usePath = (header(answer, 'Use-Path') ?? '').trim().split(/ +/).filter(Boolean).map(parseMsrpUri);
  if (usePath.length === 0 || usePath.length > 4 || usePath.some((uri) => uri === undefined))
    return fail(200, 'the relay answered AUTH without a usable Use-Path');
  const expires = Number(header(answer, 'Expires'));
  connection.hold();
  return { ok: true, connection, usePath: usePath as MsrpUri[], expires: Number.isInteger(expires) && expires > 0 ? expires : undefined };
}

function header(response: MsrpResponse, name: string): string | undefined {
  return response.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}
