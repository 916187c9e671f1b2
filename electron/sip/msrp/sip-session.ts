/**
 * The SIP side of an MSRP session (RFC 4975 §5): an INVITE offered or answered through sip.js's
 * session API, the moments that matter of its state, our description handler for every session of
 * a user agent, and its end by whichever request its state allows (BYE once up, CANCEL while our
 * offer rings, a refusal of one not yet answered). core/sessions/chat-sessions.ts decides when and
 * with whom; this is how, so the core holds sip.js's objects only by these types.
 */
import { Invitation, Inviter, SessionState, type Session } from 'sip.js';
import { sipUri, type UserAgent } from '../user-agent.js';
import type { MsrpDescriptionHandler } from './description-handler.js';

export type { Invitation as IncomingInvite, Session as SipSession };

/** An offer to `target`, not yet sent (so its owner can watch it first); undefined when `target` is not a SIP URI. */
export function makeOffer(ua: UserAgent, target: string): { session: Session; callId: string } | undefined {
  const uri = sipUri(target);
  if (!uri) return undefined;
  const inviter = new Inviter(ua, uri);
  return { session: inviter, callId: inviter.request.callId };
}

/** Sends an offer made by makeOffer; `refused` hears the status (and reason phrase) of a final refusal. Rejects when it cannot go. */
export async function sendOffer(session: Session, refused: (status: number | undefined, reason?: string) => void): Promise<void> {
  if (!(session instanceof Inviter)) throw new Error('not an offer of ours');
  await session.invite({
    requestDelegate: { onReject: (response) => refused(response.message.statusCode, response.message.reasonPhrase) },
  });
}

/** Calls `established` when the session is up and `terminated` when it is over. */
export function watchSession(session: Session, on: { established(): void; terminated(): void }): void {
  session.stateChange.addListener((state) => {
    if (state === SessionState.Established) on.established();
    else if (state === SessionState.Terminated) on.terminated();
  });
}

/** Every session of `ua` (offered or answered) describes itself with the handler `describe` gives. */
export function describeSessionsWith(ua: UserAgent, describe: (session: Session) => MsrpDescriptionHandler): void {
  ua.configuration.sessionDescriptionHandlerFactory = (session: Session) => describe(session);
}

/** Ends the session by the request its state allows; nothing when it is over already. */
export async function hangUp(session: Session): Promise<void> {
  if (session.state === SessionState.Established) await session.bye();
  else if (session instanceof Inviter && session.state === SessionState.Establishing) await session.cancel();
  else if (session instanceof Invitation && (session.state === SessionState.Initial || session.state === SessionState.Establishing))
    await session.reject();
}
