/**
 * The OPTIONS probe of our own binding (RFC 5626 §4.4 leaves UDP keep-alive to STUN; this is the
 * check that the registrar still routes to us): an OPTIONS to our own address of record through
 * the proxy. The registrar routes it back to us (sip.js answers 200) only while it still has our
 * binding, so one request shows both that the server answers and that it has not forgotten us.
 * What to do about the outcome is the owner's (electron/core/account/flow-monitor.ts).
 */
import { randomBytes } from 'node:crypto';
import { sipUri, type UserAgent } from '../user-agent.js';

/**
 * `answered`: the server answered and has our binding (or answered something else of its own);
 * `unbound`: it answered but no longer knows where we are (404, 480, 410);
 * `no-answer`: nothing came (sip.js's 408 for a timeout, its 503 for a transport error).
 */
export type BindingProbeOutcome = 'answered' | 'unbound' | 'no-answer';

/** Send one probe; `onOutcome` hears how it ended. Nothing is sent when `aor` is not a SIP URI. */
export function probeBinding(ua: UserAgent, aor: string, onOutcome: (outcome: BindingProbeOutcome) => void): void {
  const core = ua.userAgentCore;
  const self = sipUri(aor);
  if (!self) return;
  // Our own Call-ID, not sip.js's prefixed one: sip.js answers 482 to requests it thinks it sent.
  const request = core.makeOutgoingRequestMessage('OPTIONS', self, self, self, { callId: randomBytes(12).toString('hex') }, [], undefined);
  core.request(request, {
    onAccept: () => onOutcome('answered'),
    onRedirect: () => onOutcome('answered'),
    onReject: (response) => {
      const status = response.message.statusCode ?? 0;
      if (status === 408 || status === 503) onOutcome('no-answer');
      else onOutcome(status === 404 || status === 480 || status === 410 ? 'unbound' : 'answered');
    },
  });
}
