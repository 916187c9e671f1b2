/**
 * Presence configuration and state that must survive restarts: groups, contacts (buddies) with
 * their groups, profiles, the weekly schedule, a manual status, and watchers with their
 * authorization (see the presence migration). Values are the shared domain types; list-valued
 * fields are stored as JSON because they are always read and written whole.
 */
import type { Statement } from 'better-sqlite3';
import type { ServerKind } from '../../shared/contract/presence.js';
import type { Contact, Group, ManualStatus, Profile, Schedule, Watcher } from '../../shared/domain/presence.js';
import type { Db } from './database.js';
import { SettingsRepo } from './settings-repo.js';

const SCHEDULE_KEY = 'presence.schedule';
const MANUAL_KEY = 'presence.manual';
const MANUAL_CHANGED_KEY = 'presence.manualChangedAt';
const SERVER_LIST_KEY = 'presence.serverList';
const SERVER_KIND_KEY = 'presence.serverKind';
const serverDocumentKey = (auid: string): string => (auid === 'resource-lists' ? SERVER_LIST_KEY : `presence.serverDocument.${auid}`);

/** The profile a new user starts with: everyone sees "online". */
export const DEFAULT_PROFILE: Profile = { id: 'available', name: 'Available', views: { '*': { availability: 'online', activities: [] } } };

/** The user's time zone as this machine knows it. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

interface WatcherRow {
  aor: string;
  status: Watcher['status'];
  source: Watcher['source'];
  subscribed: number;
  last_seen: number;
}

export class PresenceRepo {
  private readonly settings: SettingsRepo;
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.settings = new SettingsRepo(db);
    this.statements = {
      groups: db.prepare('SELECT id, name FROM presence_groups ORDER BY position, name'),
      saveGroup: db.prepare(
        `INSERT INTO presence_groups(id, name, position) VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM presence_groups))
         ON CONFLICT(id) DO UPDATE SET name = excluded.name`,
      ),
      deleteGroup: db.prepare('DELETE FROM presence_groups WHERE id = ?'),
      contacts: db.prepare('SELECT aor, name, groups FROM contacts ORDER BY COALESCE(name, aor) COLLATE NOCASE'),
      contact: db.prepare('SELECT aor, name, groups FROM contacts WHERE aor = ?'),
      saveContact: db.prepare(
        `INSERT INTO contacts(aor, name, groups) VALUES (?, ?, ?)
         ON CONFLICT(aor) DO UPDATE SET name = excluded.name, groups = excluded.groups`,
      ),
      deleteContact: db.prepare('DELETE FROM contacts WHERE aor = ?'),
      profiles: db.prepare('SELECT id, name, views FROM presence_profiles ORDER BY name COLLATE NOCASE'),
      saveProfile: db.prepare(
        `INSERT INTO presence_profiles(id, name, views) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, views = excluded.views`,
      ),
      deleteProfile: db.prepare('DELETE FROM presence_profiles WHERE id = ?'),
      watchers: db.prepare('SELECT aor, status, source, subscribed, last_seen FROM watchers ORDER BY last_seen DESC'),
      watcher: db.prepare('SELECT aor, status, source, subscribed, last_seen FROM watchers WHERE aor = ?'),
      saveWatcher: db.prepare(
        `INSERT INTO watchers(aor, status, source, subscribed, last_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(aor) DO UPDATE SET status = excluded.status, source = excluded.source,
           subscribed = excluded.subscribed, last_seen = excluded.last_seen`,
      ),
    };
  }

  groups(): Group[] {
    return this.statements.groups!.all() as Group[];
  }

  saveGroup(group: Group): Group {
    this.statements.saveGroup!.run(group.id, group.name);
    return group;
  }

  /** Deleting a group takes it out of every contact's list too, in one transaction. */
  deleteGroup(id: string): boolean {
    return this.db
      .transaction(() => {
        for (const contact of this.contacts()) {
          if (contact.groups.includes(id)) this.saveContact({ ...contact, groups: contact.groups.filter((g) => g !== id) });
        }
        return this.statements.deleteGroup!.run(id).changes > 0;
      })
      .immediate(); // reads, then writes: see MessagesRepo.transaction
  }

  contacts(): Contact[] {
    return (this.statements.contacts!.all() as { aor: string; name: string | null; groups: string }[]).map(toContact);
  }

  contact(aor: string): Contact | undefined {
    const row = this.statements.contact!.get(aor) as { aor: string; name: string | null; groups: string } | undefined;
    return row && toContact(row);
  }

  saveContact(contact: Contact): Contact {
    this.statements.saveContact!.run(contact.aor, contact.name ?? null, JSON.stringify(contact.groups));
    return contact;
  }

  deleteContact(aor: string): boolean {
    return this.statements.deleteContact!.run(aor).changes > 0;
  }

  /** Every profile; a fresh database has the default one. */
  profiles(): Profile[] {
    const rows = this.statements.profiles!.all() as { id: string; name: string; views: string }[];
    const profiles = rows.map((row) => ({ id: row.id, name: row.name, views: JSON.parse(row.views) as Profile['views'] }));
    return profiles.length > 0 ? profiles : [DEFAULT_PROFILE];
  }

  saveProfile(profile: Profile): Profile {
    this.statements.saveProfile!.run(profile.id, profile.name, JSON.stringify(profile.views));
    return profile;
  }

  deleteProfile(id: string): boolean {
    return this.statements.deleteProfile!.run(id).changes > 0;
  }

  /** The weekly schedule; a fresh database has none (the default profile always, in the local zone). */
  schedule(): Schedule {
    return this.settings.get<Schedule>(SCHEDULE_KEY) ?? { timeZone: localTimeZone(), rules: [], defaultProfileId: this.profiles()[0]!.id };
  }

  setSchedule(schedule: Schedule): Schedule {
    this.settings.set(SCHEDULE_KEY, schedule);
    return schedule;
  }

  manualStatus(): ManualStatus | null {
    return this.settings.get<ManualStatus>(MANUAL_KEY) ?? null;
  }

  /**
   * `changedAt`: when the user set or cleared it (epoch ms), which decides between this device and
   * the account's others (core/presence/status-sync.ts); a manual status that lapsed by itself
   * passes none, as every device lapses it alike.
   */
  setManualStatus(status: ManualStatus | null, changedAt?: number): void {
    if (status) this.settings.set(MANUAL_KEY, status);
    else this.settings.delete(MANUAL_KEY);
    if (changedAt !== undefined) this.settings.set(MANUAL_CHANGED_KEY, changedAt);
  }

  /** When the user last set or cleared the manual status, on this device or another of the account (0: never). */
  manualChangedAt(): number {
    return this.settings.get<number>(MANUAL_CHANGED_KEY) ?? 0;
  }

  /**
   * What this device last agreed with the server's copy of one of its XCAP documents
   * (core/presence/xcap-sync), one slot per AUID, by the document's URL: another account or
   * server starts afresh. (The contact list's slot keeps the key it had before the others.)
   */
  serverDocumentState<T>(auid: string, url: string): T | undefined {
    const saved = this.settings.get<{ url: string; state: T }>(serverDocumentKey(auid));
    return saved?.url === url ? saved.state : undefined;
  }

  setServerDocumentState(auid: string, url: string, state: unknown): void {
    this.settings.set(serverDocumentKey(auid), { url, state });
  }

  /**
   * What the presence probe last found out about this server (core/presence/server-kind.ts), so
   * the next login starts in that mode; another server starts afresh.
   */
  serverKind(server: string): ServerKind | undefined {
    const saved = this.settings.get<{ server: string; kind: ServerKind }>(SERVER_KIND_KEY);
    return saved?.server === server ? saved.kind : undefined;
  }

  setServerKind(server: string, kind: ServerKind): void {
    this.settings.set(SERVER_KIND_KEY, { server, kind });
  }

  watchers(): Watcher[] {
    return (this.statements.watchers!.all() as WatcherRow[]).map(toWatcher);
  }

  watcher(aor: string): Watcher | undefined {
    const row = this.statements.watcher!.get(aor) as WatcherRow | undefined;
    return row && toWatcher(row);
  }

  saveWatcher(watcher: Watcher): Watcher {
    this.statements.saveWatcher!.run(watcher.aor, watcher.status, watcher.source, watcher.subscribed ? 1 : 0, watcher.lastSeen);
    return watcher;
  }
}

function toContact(row: { aor: string; name: string | null; groups: string }): Contact {
  return { aor: row.aor, ...(row.name !== null ? { name: row.name } : {}), groups: JSON.parse(row.groups) as string[] };
}

function toWatcher(row: WatcherRow): Watcher {
  return { aor: row.aor, status: row.status, source: row.source, subscribed: row.subscribed === 1, lastSeen: row.last_seen };
}
