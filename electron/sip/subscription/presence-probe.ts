/**
 * The presence probe: a fetch SUBSCRIBE (Expires: 0, RFC 6665 §4.1.2.4) for our own presence,
 * sent through the proxy to our own address of record, that shows which kind of server the
 * account has (docs/DESIGN.md#which-server-serves-presence):
 *
 *  - the server relays watchers' SUBSCRIBEs to the user's devices: the probe comes back to us
 *    (`isPresenceProbe` recognises it by its Call-ID, and it is answered 403 without a dialog);
 *  - the server is a presence agent: it answers the probe itself (2xx) and sends one NOTIFY,
 *    which is taken here and answered 200;
 *  - anything else: the final status says it (489: the server knows no presence at all).
 *
 * What the outcome means is the owner's (electron/core/presence/server-kind.ts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingSubscribeRequest } from 'sip.js/lib/core/index.js';
import { sipUri, type UserAgent } from '../user-agent.js';
import { NotifyRoute } from './notify-route.js';
import { PIDF_TYPE } from './subscribe-request.js';

/** Call-IDs of probes start with this (not sip.js's prefix: it answers 482 to requests it thinks it sent). */
export const PROBE_CALL_ID_PREFIX = 'parley-presence-probe-';

/** How long the NOTIFY a presence agent sends after its 2xx is still taken after the final response. */
const NOTIFY_GRACE_MS = 32_000;

export interface SentProbe {
  callId: string;
  /** Stop taking the probe's NOTIFY (the owner is going). */
  dispose(): void;
}

/**
 * Send one probe to `aor` (ours). `onFinal` hears the final status of the SUBSCRIBE (sip.js's 408
 * for no answer, its 503 for a transport error). Undefined when `aor` is not a SIP URI.
 */
export function sendPresenceProbe(ua: UserAgent, aor: string, onFinal: (status: number) => void): SentProbe | undefined {
  const core = ua.userAgentCore;
  const self = sipUri(aor);
  if (!self) return undefined;
  const callId = PROBE_CALL_ID_PREFIX + randomBytes(12).toString('hex');
  const headers = ['Event: presence', 'Expires: 0', `Accept: ${PIDF_TYPE}`, `Contact: ${core.configuration.contact.toString()}`];
  const request = core.makeOutgoingRequestMessage('SUBSCRIBE', self, self, self, { callId }, headers, undefined);
  // A presence agent's NOTIFY for the fetch: answered, so the server does not retransmit it.
  const route = new NotifyRoute(core, (notify) => {
    try {
      notify.accept();
    } catch {
      // a late retransmission whose transaction already ended
    }
  });
  route.route(callId, request.fromTag, 'presence');
  let graceTimer: NodeJS.Timeout | undefined;
  const dispose = () => {
    clearTimeout(graceTimer);
    route.unroute();
  };
  const final = (status: number) => {
    graceTimer = setTimeout(dispose, NOTIFY_GRACE_MS);
    graceTimer.unref?.();
    onFinal(status);
  };
  try {
    core.request(request, {
      onAccept: (response) => final(response.message.statusCode ?? 200),
      onRedirect: (response) => final(response.message.statusCode ?? 300),
      onReject: (response) => final(response.message.statusCode ?? 500),
    });
  } catch {
    dispose();
    return undefined;
  }
  return { callId, dispose };
}

/** Whether an incoming SUBSCRIBE is a presence probe (ours or another device's of the account). */
export function isPresenceProbe(request: IncomingSubscribeRequest): boolean {
  const message = request.message;
  return message.callId.startsWith(PROBE_CALL_ID_PREFIX) && message.from.uri.user === message.to.uri.user;
}

/** Answer a probe that reached us: no subscription, no dialog (the probe only wanted to arrive). */
export function answerProbe(request: IncomingSubscribeRequest): void {
  try {
    request.reject({ statusCode: 403, reasonPhrase: 'Presence Probe' });
  } catch {
    // already answered (a retransmission)
  }
}
