/**
 * What a received MESSAGE body is to Parley: text to store and show (text/plain, text/html,
 * either wrapped in message/cpim), a typing notification (never stored), or something refused
 * with 415 and the Accept list.
 */
import { parseCpim } from './cpim.js';
import { htmlToText } from './html-text.js';
import { COMPOSING_TYPE, parseComposing, type ComposingState } from './iscomposing.js';

const TEXT_TYPES = ['text/plain', 'text/html'];
const CPIM_TYPE = 'message/cpim';
/** What we take, for the Accept header of a 415. */
export const ACCEPTED_TYPES = [...TEXT_TYPES, CPIM_TYPE, COMPOSING_TYPE];

export type IncomingContent =
  | {
      kind: 'text';
      /** The payload's own type (the inner one for CPIM). */
      contentType: string;
      body: string;
      /** Plain-text rendering of an HTML body. */
      text?: string;
      /** When the sender wrote it: CPIM DateTime, else the SIP Date header (stored-and-forwarded). */
      sentAt?: number;
      /** The sender's own name for this message (CPIM/IMDN Message-ID), which a copy carries too. */
      messageId?: string;
    }
  | { kind: 'composing'; state: ComposingState }
  | { kind: 'refuse'; status: 400 | 415 };

export function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** What the envelope (SIP headers, CPIM) says about a text beside its type and body. */
interface Envelope {
  sentAt?: number | undefined;
  messageId?: string | undefined;
}

function text(contentType: string, body: string, { sentAt, messageId }: Envelope): IncomingContent {
  return {
    kind: 'text',
    contentType,
    body,
    ...(mediaType(contentType) === 'text/html' ? { text: htmlToText(body) } : {}),
    ...(sentAt !== undefined ? { sentAt } : {}),
    ...(messageId !== undefined ? { messageId } : {}),
  };
}

function payload(contentType: string, body: string, envelope: Envelope): IncomingContent {
  const type = mediaType(contentType);
  if (TEXT_TYPES.includes(type)) return text(contentType, body, envelope);
  if (type === COMPOSING_TYPE) {
    const state = parseComposing(body);
    return state ? { kind: 'composing', state } : { kind: 'refuse', status: 400 };
  }
  return { kind: 'refuse', status: 415 };
}

/** `contentType` as on the request (absent means text/plain, RFC 3428 §9); `date` its Date header. */
export function classifyIncoming(contentType: string | undefined, body: string, date?: string): IncomingContent {
  const type = contentType?.trim() || 'text/plain';
  const dated = date !== undefined ? Date.parse(date) : NaN;
  const sentAt = Number.isFinite(dated) ? dated : undefined;
  if (mediaType(type) !== CPIM_TYPE) return payload(type, body, { sentAt });
  const cpim = parseCpim(body);
  if (!cpim) return { kind: 'refuse', status: 400 };
  // A CPIM inside CPIM is not something any client sends; refuse rather than recurse.
  if (mediaType(cpim.contentType) === CPIM_TYPE) return { kind: 'refuse', status: 415 };
  return payload(cpim.contentType, cpim.body, { sentAt: cpim.dateTime ?? sentAt, messageId: cpim.messageId });
}
