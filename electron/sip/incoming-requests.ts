/**
 * Incoming out-of-dialog requests, handed to their owners: a MESSAGE by message/receive-message.ts
 * before sip.js's transaction layer (the receive path of every chat message), anything else by
 * sip.js's user agent. The types are sip.js's own, so a request reaches its owner without a copy.
 * In-dialog requests (a NOTIFY, a refreshing SUBSCRIBE) go by sip.js's dialog table and
 * subscription/notify-route.ts instead.
 */
import type { Invitation } from 'sip.js';
import type { IncomingSubscribeRequest } from 'sip.js/lib/core/index.js';
import { takeMessage, type ReceivedMessage } from './message/receive-message.js';
import type { SipTransport } from './transport/sip-transport.js';
import type { UserAgent } from './user-agent.js';

export type { Invitation, ReceivedMessage as IncomingMessage, IncomingSubscribeRequest };

export interface IncomingHandlers {
  onMessage(message: ReceivedMessage): void;
  /** An out-of-dialog SUBSCRIBE (a notifier's); without a handler it gets 489 Bad Event (RFC 6665 §4.2.1.1). */
  onSubscribe?(request: IncomingSubscribeRequest): void;
  /** An INVITE (session-mode chat, core/sessions/); without a handler sip.js answers 486. */
  onInvite?(invitation: Invitation): void;
}

/**
 * Route incoming requests to `handlers`. `acceptAnyUser`: take requests whatever user part their
 * Request-URI names (without a registrar our host:port is the address, so a peer may type any user).
 */
export function routeIncoming(ua: UserAgent, handlers: IncomingHandlers, acceptAnyUser: boolean): void {
  ua.delegate = {
    onMessage: (message) => handlers.onMessage(message),
    onSubscribeRequest: (request) => (handlers.onSubscribe ? handlers.onSubscribe(request) : request.reject({ statusCode: 489 })),
    ...(handlers.onInvite ? { onInvite: (invitation: Invitation) => handlers.onInvite!(invitation) } : {}),
  };
  if (acceptAnyUser) ua.userAgentCore.configuration.acceptAnyRequestUser = true;
  // A MESSAGE sent again on a new branch with the same From tag, Call-ID and CSeq (a client that
  // restarted, a request forked to us twice) is stored once by those ids (core/conversations/,
  // exactly once) and answered 200. sip.js would answer it 482 while the first one's transaction
  // lived, which ends on a zero timer after our answer: whether a resend got 482 was a race.
  ua.userAgentCore.configuration.acceptMergedMessages = true;
  const transport = ua.transport as unknown as SipTransport;
  transport.takeRequest = (text, head, answer) => takeMessage(ua, (message) => handlers.onMessage(message), text, head, answer);
}
