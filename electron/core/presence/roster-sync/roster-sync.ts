/**
 * The contact list kept on the server as an XCAP resource-lists document
 * (docs/DESIGN.md#the-contact-list-on-the-server): kept in step by DocumentSync
 * (xcap-sync/document-sync.ts: ETags, three-way merge on 412, never a lost update) with the
 * contact list's own merge (roster-merge.ts), and with the rls-services document that lets the
 * server's resource list server serve it, written once per login after the list.
 */
import {
  decodeResourceLists,
  encodeResourceLists,
  RESOURCE_LISTS_CONTENT_TYPE,
  type ContactList,
} from '../../../sip/xcap/resource-lists.js';
import { contactListUri, encodeRlsServices, RLS_SERVICES_CONTENT_TYPE } from '../../../sip/xcap/rls-services.js';
import { DocumentSync, type DocumentKind, type DocumentSyncDeps, type DocumentSyncState } from '../xcap-sync/document-sync.js';
import { EMPTY_LIST, mergeContactLists, sameContactLists } from './roster-merge.js';

export { MAX_CONFLICTS } from '../xcap-sync/document-sync.js';

export type RosterSyncState = DocumentSyncState<ContactList>;

export const CONTACT_LIST_DOCUMENT: DocumentKind<ContactList> = {
  auid: 'resource-lists',
  contentType: RESOURCE_LISTS_CONTENT_TYPE,
  title: 'The contact list',
  encode: encodeResourceLists,
  decode: decodeResourceLists,
  merge: mergeContactLists,
  same: sameContactLists,
  empty: EMPTY_LIST,
};

export type RosterSyncDeps = Omit<DocumentSyncDeps<ContactList>, 'kind' | 'afterMerge'> & { aor: string };

export type RosterSync = DocumentSync<ContactList>;

export function rosterSync(deps: RosterSyncDeps): RosterSync {
  let rlsWritten = false;
  /** The rls-services document naming the list, once per login (it never changes for an account). */
  const ensureRlsServices = async (): Promise<void> => {
    if (rlsWritten) return;
    const service = contactListUri(deps.aor);
    if (!service) return;
    const body = encodeRlsServices(service, deps.client.documentUrl('resource-lists'));
    const read = await deps.client.get('rls-services');
    if (!read.found || read.body !== body) {
      // Ours alone: Parley keeps one service per account, so an unconditional write is safe.
      await deps.client.put('rls-services', body, RLS_SERVICES_CONTENT_TYPE, undefined);
    }
    rlsWritten = true;
  };
  return new DocumentSync({ ...deps, kind: CONTACT_LIST_DOCUMENT, afterMerge: ensureRlsServices });
}
