/**
 * A user's contact list on the bundled server as another of their devices would have left it, for
 * the resource list tests and `bench presence --rls`: the resource-lists document and the
 * rls-services document naming it as the list URI (electron/sip/xcap/rls-services.ts).
 */
import { encodeResourceLists, RESOURCE_LISTS_CONTENT_TYPE, type ContactList } from '../xcap/resource-lists.js';
import { contactListUri, encodeRlsServices, RLS_SERVICES_CONTENT_TYPE } from '../xcap/rls-services.js';
import type { XcapClient } from '../xcap/xcap-client.js';

/** Writes `list` and its rls-services document for the client's user (`owner`); throws unless both are stored. */
export async function putContactList(xcap: XcapClient, owner: string, list: ContactList): Promise<void> {
  const lists = await xcap.put('resource-lists', encodeResourceLists(list), RESOURCE_LISTS_CONTENT_TYPE, undefined);
  const services = await xcap.put(
    'rls-services',
    encodeRlsServices(contactListUri(owner)!, xcap.documentUrl('resource-lists')),
    RLS_SERVICES_CONTENT_TYPE,
    undefined,
  );
  if (!lists.ok || !services.ok) throw new Error(`the server did not store ${owner}'s contact list`);
}
