/**
 * A message that came in an MSRP session, presented to Messaging.onIncoming as the MESSAGE it
 * stands for (incoming-chat.ts): from the peer of the session's dialog, on the INVITE's Call-ID
 * (so it threads into the peer's conversation as paging mode's fresh Call-IDs do), with the
 * session's count of received messages as its CSeq (TCP keeps the sender's order, and ordering.ts
 * keeps it in storage), and the dialog's remote tag. Its acceptance sends the success REPORT;
 * its refusal a failure REPORT with the nearest MSRP status.
 */
import type { SipSession as Session } from '../../sip/msrp/sip-session.js';
import type { IncomingMessage } from '../../sip/msrp/reassembly.js';
import type { IncomingChat } from '../conversations/incoming-chat.js';

/** SIP statuses onIncoming refuses with, as MSRP's (RFC 4975 §10 has no 5xx: anything else is 400). */
function msrpStatus(sipStatus: number): number {
  return sipStatus === 415 || sipStatus === 413 ? sipStatus : 400;
}

export function sessionMessage(
  sip: Session,
  callId: string,
  cseq: number,
  message: IncomingMessage,
  done: (code: number) => void,
): IncomingChat {
  const contentType = message.contentType;
  return {
    request: {
      getHeader: (name) => (name.toLowerCase() === 'content-type' ? contentType : undefined),
      // Bytes that are not UTF-8 become U+FFFD: shown as text, never anything else.
      body: message.body.toString('utf8'),
      from: { uri: sip.remoteIdentity.uri, displayName: sip.remoteIdentity.displayName },
      to: { uri: sip.localIdentity.uri },
      callId,
      cseq,
      fromTag: sip.dialog?.remoteTag ?? '',
    },
    accept: () => Promise.resolve(done(200)),
    reject: ({ statusCode }) => Promise.resolve(done(msrpStatus(statusCode))),
  };
}
