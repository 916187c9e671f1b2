/**
 * What Messaging.onIncoming reads of a received chat message: a paging-mode MESSAGE (sip.js's
 * Message fits as it is) or a message that came in an MSRP session, presented the same way
 * (core/sessions/session-message.ts), so both are threaded, stored once and answered by one path.
 */
export interface IncomingChat {
  request: {
    getHeader(name: string): string | undefined;
    body: string;
    from: { uri: { toString(): string }; displayName: string };
    to: { uri: { toString(): string } };
    callId: string;
    cseq: number;
    fromTag: string;
    /** The top Via branch of a SIP request (to ask the transport where it came from); none in a session. */
    viaBranch?: string;
  };
  /** Taken (stored or not news): 200 for a MESSAGE, a success REPORT in a session. */
  accept(): Promise<void>;
  /** Refused with a SIP status (the session maps it to its own); `extraHeaders` only mean something to SIP. */
  reject(options: { statusCode: number; extraHeaders?: string[] }): Promise<void>;
}
