/**
 * One out-of-dialog MESSAGE (RFC 3428) on sip.js's core, with the Call-ID, CSeq and From tag the
 * caller gives (a resend reuses all three, docs/DESIGN.md#4-conversations), and its outcome told
 * as plain values. This is the send path of every chat message, so it adds nothing per message
 * beyond what sip.js needs: the caller's body object is sip.js's own shape, the outcome comes as
 * arguments rather than an object, and the endpoint is passed as it is.
 */
import type { SipTransport } from '../transport/sip-transport.js';
import type { URI, UserAgent } from '../user-agent.js';

/** What a MESSAGE is sent with; the same Call-ID, CSeq and From tag make a resend a copy. */
export interface MessageIds {
  callId: string;
  cseq: number;
  fromTag: string;
}

/** The body as sip.js takes it (`render` for a chat message, `notification` for a receipt). */
export interface MessageBody {
  contentDisposition: string;
  contentType: string;
  content: string;
}

/** The user agent a MESSAGE goes from and the transport under it (core/account/endpoint.ts is one). */
export interface MessageAgent {
  readonly ua: UserAgent;
  readonly transport: SipTransport;
}

/**
 * How a MESSAGE ended. `status`: the final status, 2xx when accepted (0 when a refusal carried
 * none; sip.js tells a timeout as 408 and a transport error as 503). `phrase`: the reason phrase
 * of a refusal. `lost`: the transport lost the request with the connection it went on, unanswered
 * (sip/reliability/unanswered.ts). `product`: the peer's Server or User-Agent on a 2xx.
 */
export type MessageSettled = (status: number, phrase: string | undefined, lost: boolean, product: string | undefined) => void;

/** Send one MESSAGE from `from` to `target`; `onSettled` hears how it ended, once. */
export function sendMessage(
  agent: MessageAgent,
  target: URI,
  from: URI,
  ids: MessageIds,
  body: MessageBody,
  onSettled: MessageSettled,
): void {
  const core = agent.ua.userAgentCore;
  const outgoing = core.makeOutgoingRequestMessage('MESSAGE', target, from, target, ids, [], body);
  core.request(outgoing, {
    onAccept: (response) =>
      onSettled(
        response.message.statusCode ?? 200,
        undefined,
        false,
        response.message.getHeader('server') ?? response.message.getHeader('user-agent'),
      ),
    // The branch is read now, not at sending: a digest retry moves the request to a new transaction.
    onReject: (response) =>
      onSettled(
        response.message.statusCode ?? 0,
        response.message.reasonPhrase,
        outgoing.branch !== undefined && agent.transport.wasLost(outgoing.branch),
        undefined,
      ),
  });
}
