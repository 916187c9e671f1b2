/**
 * Failures of our own requests, told as responses. sip.js tells a transaction's user of a timeout
 * with a 408 and of a transport error with a 503 it makes itself (no Via, no other headers); a
 * request we could not even build or hand to the transport is told the same way here, so every
 * caller has one path for "the network did not answer".
 */
import type { IncomingResponse, OutgoingRequestDelegate, OutgoingRequestMessage, UserAgentCore } from 'sip.js/lib/core/index.js';

/** The response sip.js gives for a transport error: 503 and no headers at all. */
export function transportErrorResponse(): IncomingResponse {
  return { message: { statusCode: 503, getHeader: () => undefined } } as unknown as IncomingResponse;
}

/** Whether this is sip.js's own transport-error 503 (one from the network carries our Via). */
export function isTransportError(response: IncomingResponse): boolean {
  return response.message.statusCode === 503 && !response.message.getHeader('via');
}

/**
 * Build a request and send it on sip.js's core. When building or sending throws, `onError` hears
 * why and the delegate's onReject gets the transport-error response.
 */
export function requestOrFail(
  core: UserAgentCore,
  build: () => OutgoingRequestMessage,
  delegate: OutgoingRequestDelegate,
  onError: (error: unknown) => void,
): void {
  try {
    core.request(build(), delegate);
  } catch (error) {
    onError(error);
    delegate.onReject?.(transportErrorResponse());
  }
}
