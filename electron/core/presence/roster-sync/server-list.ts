/**
 * Binds RosterSync (roster-sync.ts) to this device: the account's XCAP root and credentials, the
 * contact list in the presence repository (read, and replaced with what a merge brought), what
 * was last agreed with the server kept in the database by document URL.
 */
import type { AccountConfig } from '../../../../shared/domain/account.js';
import type { ParleyEvent } from '../../../../shared/ipc.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import type { Logger } from '../../../support/logger.js';
import type { ContactList } from '../../../sip/xcap/resource-lists.js';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { rosterSync, type RosterSync, type RosterSyncState } from './roster-sync.js';

export interface ServerListDeps {
  repo: PresenceRepo;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** The roster changed under the notifier (what a watcher may see depends on their groups). */
  rosterChanged(): void;
  onSynced?(list: ContactList): void;
}

/** The account's XCAP client (its root, the AOR as XUI, the SIP credentials); undefined without an XCAP root. */
export function accountXcapClient(account: AccountConfig | undefined, aor: string, password: string | undefined): XcapClient | undefined {
  if (!account?.xcapRoot) return undefined;
  const username = account.authUser ?? /^sips?:([^@;?]+)@/i.exec(aor)?.[1] ?? aor;
  return new XcapClient({ root: account.xcapRoot, xui: aor, username, password });
}

export function serverList(deps: ServerListDeps, client: XcapClient, aor: string): RosterSync {
  const url = client.documentUrl('resource-lists');
  const { repo } = deps;
  return rosterSync({
    client,
    aor,
    logger: deps.logger,
    local: () => ({ groups: repo.groups(), contacts: repo.contacts() }),
    apply: (list) => {
      replaceContactList(repo, list);
      deps.rosterChanged();
    },
    loadState: () => repo.serverDocumentState<RosterSyncState>('resource-lists', url),
    saveState: (state) => repo.setServerDocumentState('resource-lists', url, state),
    notice: (text) => deps.emit({ type: 'notice', level: 'warning', text }),
    onSynced: deps.onSynced,
  });
}

/** Make the repository's groups and contacts these (only what differs is written). */
function replaceContactList(repo: PresenceRepo, list: ContactList): void {
  const groups = new Map(list.groups.map((g) => [g.id, g]));
  for (const group of repo.groups()) if (!groups.has(group.id)) repo.deleteGroup(group.id);
  const existing = new Map(repo.groups().map((g) => [g.id, g.name]));
  for (const group of list.groups) if (existing.get(group.id) !== group.name) repo.saveGroup(group);
  const contacts = new Map(list.contacts.map((c) => [c.aor, c]));
  for (const contact of repo.contacts()) if (!contacts.has(contact.aor)) repo.deleteContact(contact.aor);
  const current = new Map(repo.contacts().map((c) => [c.aor, JSON.stringify([c.name ?? null, c.groups])]));
  for (const contact of list.contacts) {
    if (current.get(contact.aor) !== JSON.stringify([contact.name ?? null, contact.groups])) repo.saveContact(contact);
  }
}
