/**
 * isComposing documents (RFC 3994, application/im-iscomposing+xml). A tiny hand parser: the
 * document is four short elements, and a general XML parser would bring DTDs and entity
 * expansion to a network input. Anything with a DOCTYPE, an entity declaration or CDATA is refused.
 */

export const COMPOSING_TYPE = 'application/im-iscomposing+xml';
/** RFC 3994 §3: without a refresh element an active state lapses after 120 s. */
export const DEFAULT_ACTIVE_MS = 120_000;

export interface ComposingState {
  active: boolean;
  /** How long an active state holds without a refresh (ms). */
  refreshMs: number;
}

const MAX_DOCUMENT = 4096;

/** The text of the first element with this local name (any namespace prefix), or undefined. */
function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[A-Za-z_][\\w.-]*:)?${name}\\s*>`).exec(xml);
  return match?.[1]?.trim();
}

export function parseComposing(xml: string): ComposingState | undefined {
  if (xml.length > MAX_DOCUMENT || /<!/.test(xml)) return undefined;
  if (!/<(?:[A-Za-z_][\w.-]*:)?isComposing[\s>]/.test(xml)) return undefined;
  const state = element(xml, 'state')?.toLowerCase();
  if (state !== 'active' && state !== 'idle') return undefined;
  const refresh = Number(element(xml, 'refresh'));
  const refreshMs = Number.isInteger(refresh) && refresh > 0 && refresh <= 3600 ? refresh * 1000 : DEFAULT_ACTIVE_MS;
  return { active: state === 'active', refreshMs };
}

/** The document we send: `refreshSeconds` only with the active state, as RFC 3994 §3 asks. */
export function composingDocument(active: boolean, refreshSeconds: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing">',
    `  <state>${active ? 'active' : 'idle'}</state>`,
    '  <contenttype>text/plain</contenttype>',
    ...(active ? [`  <refresh>${refreshSeconds}</refresh>`] : []),
    '</isComposing>',
    '',
  ].join('\n');
}
