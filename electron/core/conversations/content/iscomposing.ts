/**
 * isComposing documents (RFC 3994, application/im-iscomposing+xml), read with the project's XML
 * reader (electron/sip/presence/xml-reader.ts): no DTD (so no entity declarations or expansion),
 * bounded in size, depth and element count, one error type. The document is four short elements,
 * so the bounds are tight.
 */
import { firstChild, readXmlOrNone, type XmlLimits } from '../../../sip/presence/xml-reader.js';

export const COMPOSING_TYPE = 'application/im-iscomposing+xml';
/** RFC 3994 §3: without a refresh element an active state lapses after 120 s. */
export const DEFAULT_ACTIVE_MS = 120_000;

export interface ComposingState {
  active: boolean;
  /** How long an active state holds without a refresh (ms). */
  refreshMs: number;
}

/** RFC 3994 §4: the namespace of <isComposing> and its children. */
export const COMPOSING_NS = 'urn:ietf:params:xml:ns:im-iscomposing';

/** isComposing holds state, lastactive, contenttype, refresh (and extensions): 4 KiB is plenty. */
const COMPOSING_LIMITS: Partial<XmlLimits> = { maxBytes: 4096, maxDepth: 4, maxElements: 32, maxAttributes: 8 };
/** The longest refresh we honour (s): a peer cannot pin "typing…" on screen for longer. */
const MAX_REFRESH_S = 3600;

/** The state a document announces, or undefined when it is not a readable isComposing document. */
export function parseComposing(xml: string): ComposingState | undefined {
  const root = readXmlOrNone(xml, COMPOSING_LIMITS);
  if (!root) return undefined;
  // Lenient like the PIDF reader: a document in no namespace is read as isComposing too.
  const ns = root.ns;
  if (root.name !== 'isComposing' || (ns !== COMPOSING_NS && ns !== '')) return undefined;
  const state = firstChild(root, ns, 'state')?.text.trim().toLowerCase();
  if (state !== 'active' && state !== 'idle') return undefined;
  const refreshText = firstChild(root, ns, 'refresh')?.text.trim() ?? '';
  const refresh = /^[0-9]{1,5}$/.test(refreshText) ? Number(refreshText) : NaN;
  const refreshMs = refresh > 0 && refresh <= MAX_REFRESH_S ? refresh * 1000 : DEFAULT_ACTIVE_MS;
  return { active: state === 'active', refreshMs };
}

/** The document we send: `refreshSeconds` only with the active state, as RFC 3994 §3 asks. */
export function composingDocument(active: boolean, refreshSeconds: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<isComposing xmlns="${COMPOSING_NS}">`,
    `  <state>${active ? 'active' : 'idle'}</state>`,
    '  <contenttype>text/plain</contenttype>',
    ...(active ? [`  <refresh>${refreshSeconds}</refresh>`] : []),
    '</isComposing>',
    '',
  ].join('\n');
}
