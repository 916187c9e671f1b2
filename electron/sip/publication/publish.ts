/**
 * PUBLISH with SIP-ETag (RFC 3903), below any policy: the request for each step of a publication
 * and the entity tag the server answers with.
 *
 *   initial: Event, Expires and the body, no SIP-If-Match; the 2xx's SIP-ETag names what we published
 *   modify:  SIP-If-Match with that tag, and the new body
 *   refresh: SIP-If-Match, no body (only the time is renewed)
 *   remove:  SIP-If-Match, Expires: 0
 *
 * A 412 means the server no longer knows the tag (publish afresh); a 423 names the shortest Expires
 * it takes (Min-Expires). When to publish, refresh and retry is the owner's
 * (electron/core/presence/publisher/presence-publisher.ts).
 */
import type { URI } from 'sip.js';
import type { IncomingResponse, OutgoingRequestDelegate, UserAgentCore } from 'sip.js/lib/core/index.js';
import { requestOrFail } from '../request-failure.js';

/** The sip.js types this module's interface takes. */
export type { IncomingResponse, UserAgentCore };

export interface PublishStep {
  /** The event package, e.g. `presence`. */
  event: string;
  /** Seconds asked for; 0 removes the publication. */
  expires: number;
  /** The entity tag of what we published (not on the initial PUBLISH). */
  etag: string | undefined;
  body: { contentType: string; content: string } | undefined;
}

/**
 * One PUBLISH to `uri` (our address of record) on sip.js's core. A redirect is a rejection; a
 * request that cannot be sent is rejected with the transport-error response after `onError`.
 */
export function sendPublish(
  core: UserAgentCore,
  uri: URI,
  step: PublishStep,
  delegate: { onAccept(response: IncomingResponse): void; onReject(response: IncomingResponse): void },
  onError: (error: unknown) => void,
): void {
  const headers = [`Event: ${step.event}`, `Expires: ${step.expires}`, ...(step.etag ? [`SIP-If-Match: ${step.etag}`] : [])];
  const body = step.body ? { contentDisposition: 'render', ...step.body } : undefined;
  const withRedirect: OutgoingRequestDelegate = { ...delegate, onRedirect: delegate.onReject };
  requestOrFail(core, () => core.makeOutgoingRequestMessage('PUBLISH', uri, uri, uri, {}, headers, body), withRedirect, onError);
}

/** The SIP-ETag of a 2xx to PUBLISH, or undefined when it has none. */
export function entityTagOf(response: IncomingResponse): string | undefined {
  return response.message.getHeader('sip-etag')?.trim() || undefined;
}
