/**
 * The rls-services document (RFC 4826 §4) that tells a resource list server which URI stands for
 * which list: one service, the user's whole contact list, pointing at the top-level list of their
 * resource-lists document (resource-lists.ts) by its XCAP node URI, for the presence package.
 */
import { escapeAttribute, escapeText } from '../presence/xml-escape.js';
import { ALL_CONTACTS_LIST } from './resource-lists.js';

export const RLS_SERVICES_NS = 'urn:ietf:params:xml:ns:rls-services';
export const RLS_SERVICES_CONTENT_TYPE = 'application/rls-services+xml';

/**
 * The list URI of a user's contact list: `<user>+buddies@<domain>` (a user name never holds "+"
 * on the bundled server, server/kamailio.cfg route RLS), or undefined for an AOR without a user.
 */
export function contactListUri(aor: string): string | undefined {
  const match = /^sips?:([^@;?]+)@([^;?>\s]+)$/i.exec(aor);
  return match ? `sip:${match[1]}+${ALL_CONTACTS_LIST}@${match[2]}` : undefined;
}

/** `documentUrl`: the resource-lists document's URL; the node selector picks its top-level list. */
export function encodeRlsServices(serviceUri: string, documentUrl: string): string {
  const node = `${documentUrl}/~~/resource-lists/list%5B@name=%22${ALL_CONTACTS_LIST}%22%5D`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rls-services xmlns="${RLS_SERVICES_NS}">`,
    `<service uri="${escapeAttribute(serviceUri)}">`,
    `<resource-list>${escapeText(node)}</resource-list>`,
    '<packages><package>presence</package></packages>',
    '</service>',
    '</rls-services>',
    '',
  ].join('\n');
}
