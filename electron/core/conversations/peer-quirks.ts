/**
 * What we know of other clients' habits from their User-Agent / Server header.
 * liblinphone (Linphone, linphonec) keys out-of-dialog MESSAGE on Call-ID: a second MESSAGE with the
 * same Call-ID is answered 200 and silently dropped as a duplicate, so such peers get a new
 * Call-ID per message (docs/DESIGN.md#threading-by-call-id).
 */
const REPEATED_CALL_ID_IS_DUPLICATE = /linphone|belle-sip/i;

/** true when the product is known to need a new Call-ID per message; undefined when we cannot tell. */
export function needsNewCallIdPerMessage(product: string | undefined): true | undefined {
  return product && REPEATED_CALL_ID_IS_DUPLICATE.test(product) ? true : undefined;
}
