/**
 * IMDN documents (RFC 5438 §7.2, message/imdn+xml): the notification a recipient's client sends
 * about one message, named by the Message-ID the sender gave it. Read with the project's XML reader
 * (electron/sip/presence/xml-reader.ts: no DTD, no entity expansion, bounded), with tight bounds:
 * a notification is a handful of short elements. Only what Parley acts on is kept: which message,
 * and whether it was delivered or displayed (a failure, "forbidden" or "error" says the message was
 * not, so it changes nothing here).
 */
import { firstChild, readXmlOrNone, type XmlElement, type XmlLimits } from '../../../sip/presence/xml-reader.js';
import { escapeText } from '../../../sip/presence/xml-escape.js';

export const IMDN_TYPE = 'message/imdn+xml';
/** RFC 5438 §10.1: the namespace of <imdn> and its children. */
export const IMDN_XML_NS = 'urn:ietf:params:xml:ns:imdn';

/** message-id, datetime, two URIs, a subject, one notification: 8 KiB and 32 elements are plenty. */
const IMDN_LIMITS: Partial<XmlLimits> = { maxBytes: 8192, maxDepth: 6, maxElements: 32, maxAttributes: 8 };
/** As in cpim.ts: a Message-ID longer than this is no name of ours. */
const MAX_MESSAGE_ID = 256;

/** What a notification says about a message. */
export type ImdnStatus = 'delivered' | 'displayed' | 'not-delivered';

export interface ImdnNotice {
  /** The Message-ID of the message it is about (ours, when it is a notification to us). */
  messageId: string;
  status: ImdnStatus;
}

/** The one status element inside `<status>`, by its local name, in the document's namespace. */
function statusOf(notification: XmlElement, ns: string): string | undefined {
  const status = firstChild(notification, ns, 'status');
  const inside = status?.children.filter((child) => child.ns === ns) ?? [];
  return inside.length === 1 ? inside[0]!.name : undefined;
}

/** The notice in a document, or undefined when it is not a readable IMDN. */
export function parseImdn(xml: string): ImdnNotice | undefined {
  const root = readXmlOrNone(xml, IMDN_LIMITS);
  if (!root) return undefined;
  const ns = root.ns;
  if (root.name !== 'imdn' || ns !== IMDN_XML_NS) return undefined;
  const messageId = firstChild(root, ns, 'message-id')?.text.trim() ?? '';
  if (!messageId || messageId.length > MAX_MESSAGE_ID) return undefined;
  const delivery = firstChild(root, ns, 'delivery-notification');
  const display = firstChild(root, ns, 'display-notification');
  // One notification per document (RFC 5438 §7.2.1.1); two at once is not something we guess about.
  if ((delivery === undefined) === (display === undefined)) return undefined;
  const status = statusOf((delivery ?? display)!, ns);
  if (delivery && status === 'delivered') return { messageId, status: 'delivered' };
  if (display && status === 'displayed') return { messageId, status: 'displayed' };
  if (status === 'failed' || status === 'forbidden' || status === 'error') return { messageId, status: 'not-delivered' };
  return undefined;
}

export interface ImdnOutgoing {
  /** The Message-ID of the message it is about (the sender's). */
  messageId: string;
  /** Epoch ms the message was sent (its DateTime), RFC 5438 §7.2.1.1's <datetime>. */
  sentAt: number;
  /** Our own address: the recipient the notice speaks for. */
  recipient: string;
  status: 'delivered' | 'displayed';
}

/** Our notification about one message (RFC 5438 §7.2.1.1). */
export function imdnDocument(notice: ImdnOutgoing): string {
  const kind = notice.status === 'delivered' ? 'delivery-notification' : 'display-notification';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<imdn xmlns="${IMDN_XML_NS}">`,
    `<message-id>${escapeText(notice.messageId)}</message-id>`,
    `<datetime>${new Date(notice.sentAt).toISOString()}</datetime>`,
    `<recipient-uri>${escapeText(notice.recipient)}</recipient-uri>`,
    `<original-recipient-uri>${escapeText(notice.recipient)}</original-recipient-uri>`,
    `<${kind}><status><${notice.status}/></status></${kind}>`,
    '</imdn>',
  ].join('');
}
