/**
 * What a received MESSAGE body is to Parley: text to store and show (text/plain, text/html,
 * either wrapped in message/cpim), a typing notification (never stored), a disposition
 * notification about one of our messages (IMDN, never stored as a message, never answered with
 * one: RFC 5438 §7.1.1), or something refused with 415 and the Accept list.
 */
import { CPIM_TYPE, parseCpim, type Disposition } from './cpim.js';
import { IMDN_TYPE, parseImdn, type ImdnNotice } from './imdn.js';
import { htmlToText } from './html-text.js';
import { COMPOSING_TYPE, parseComposing, type ComposingState } from './iscomposing.js';

const TEXT_TYPES = ['text/plain', 'text/html'];
/** What we take, for the Accept header of a 415. */
export const ACCEPTED_TYPES = [...TEXT_TYPES, CPIM_TYPE, COMPOSING_TYPE, IMDN_TYPE];

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
      /** The notifications the sender asked for (CPIM imdn.Disposition-Notification, with a Message-ID to quote). */
      dispositions?: Disposition[];
    }
  | { kind: 'composing'; state: ComposingState }
  | { kind: 'notification'; notice: ImdnNotice }
  | { kind: 'refuse'; status: 400 | 415 };

export function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** What the envelope (SIP headers, CPIM) says about a text beside its type and body. */
interface Envelope {
  sentAt?: number | undefined;
  messageId?: string | undefined;
  dispositions?: Disposition[] | undefined;
}

function text(contentType: string, body: string, { sentAt, messageId, dispositions }: Envelope): IncomingContent {
  return {
    kind: 'text',
    contentType,
    body,
    ...(mediaType(contentType) === 'text/html' ? { text: htmlToText(body) } : {}),
    ...(sentAt !== undefined ? { sentAt } : {}),
    ...(messageId !== undefined ? { messageId } : {}),
    // Without a Message-ID there is nothing a notification could quote.
    ...(messageId !== undefined && dispositions !== undefined ? { dispositions } : {}),
  };
}

function payload(contentType: string, body: string, envelope: Envelope): IncomingContent {
  const type = mediaType(contentType);
  if (TEXT_TYPES.includes(type)) return text(contentType, body, envelope);
  if (type === COMPOSING_TYPE) {
    const state = parseComposing(body);
    return state ? { kind: 'composing', state } : { kind: 'refuse', status: 400 };
  }
  if (type === IMDN_TYPE) {
    const notice = parseImdn(body);
    return notice ? { kind: 'notification', notice } : { kind: 'refuse', status: 400 };
  }
  return { kind: 'refuse', status: 415 };
}

/**
 * Whether a text/plain body is a CPIM document that a server stored for later: Kamailio's msilo
 * (m_store) keeps message/cpim under the type text/plain, so such a message comes back as text/plain
 * with the whole CPIM in it. Only a document that names itself with an IMDN Message-ID is taken for
 * one; any other text/plain is text.
 */
function storedCpim(body: string): boolean {
  return body.includes('<urn:ietf:params:imdn>') && parseCpim(body)?.messageId !== undefined;
}

/** `contentType` as on the request (absent means text/plain, RFC 3428 §9); `date` its Date header. */
export function classifyIncoming(contentType: string | undefined, body: string, date?: string): IncomingContent {
  const type = contentType?.trim() || 'text/plain';
  const dated = date !== undefined ? Date.parse(date) : NaN;
  const sentAt = Number.isFinite(dated) ? dated : undefined;
  const media = mediaType(type);
  if (media !== CPIM_TYPE && !(media === 'text/plain' && storedCpim(body))) return payload(type, body, { sentAt });
  const cpim = parseCpim(body);
  if (!cpim) return { kind: 'refuse', status: 400 };
  // A CPIM inside CPIM is not something any client sends; refuse rather than recurse.
  if (mediaType(cpim.contentType) === CPIM_TYPE) return { kind: 'refuse', status: 415 };
  return payload(cpim.contentType, cpim.body, {
    sentAt: cpim.dateTime ?? sentAt,
    messageId: cpim.messageId,
    dispositions: cpim.dispositions,
  });
}
