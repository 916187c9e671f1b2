/**
 * The profiles and the weekly schedule kept on the server (docs/DESIGN.md#profiles-and-schedule-on-the-server)
 * as Parley's presence settings document (sip/xcap/profiles-document.ts), so a new device of the
 * account starts with them; kept in step by DocumentSync (ETags, merge on 412).
 *
 * Merge: profile by profile (what one side changed since the last agreement is taken; a profile
 * both changed goes this device's way; an edit beats a removal), the schedule as one value (this
 * device's when it changed it, else the server's). A merge that breaks a reference the policy
 * needs (a schedule naming a profile the other device removed) keeps this device's settings whole:
 * they were checked when they were made.
 */
import type { Group, Profile } from '../../../../shared/domain/presence.js';
import {
  decodePresenceSettings,
  encodePresenceSettings,
  PRESENCE_SETTINGS_AUID,
  PRESENCE_SETTINGS_CONTENT_TYPE,
  PRESENCE_SETTINGS_FILE,
  type PresenceSettings,
} from '../../../sip/xcap/profiles-document.js';
import type { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { DEFAULT_PROFILE, localTimeZone, type PresenceRepo } from '../../../storage/presence-repo.js';
import type { Logger } from '../../../support/logger.js';
import { validatePolicy } from '../policy/index.js';
import { DocumentSync, type DocumentKind, type DocumentSyncState } from './document-sync.js';
import { mergeRecords } from './record-merge.js';

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function mergePresenceSettings(
  base: PresenceSettings,
  local: PresenceSettings,
  remote: PresenceSettings,
  groups: readonly Group[],
): PresenceSettings {
  const byId = (profiles: readonly Profile[] | undefined) => new Map((profiles ?? []).map((p) => [p.id, p]));
  const profiles = mergeRecords(byId(base.profiles), byId(local.profiles), byId(remote.profiles), (_b, l) => l, sameJson);
  const schedule = sameJson(base.schedule, local.schedule) ? remote.schedule : local.schedule;
  // the server's order, then profiles only this device has
  const order = [...new Set([...remote.profiles, ...local.profiles].map((p) => p.id))];
  const merged = { profiles: order.flatMap((id) => (profiles.has(id) ? [profiles.get(id)!] : [])), schedule };
  return validatePolicy({ ...merged, groups }).errors.length === 0 ? merged : local;
}

/**
 * `fresh`: the settings of a device nobody has edited (the built-in profile, no schedule), the base
 * when nothing was agreed yet: such a device takes the server's settings, where a device edited
 * before its first sync merges its edits in.
 */
export function presenceSettingsDocument(groups: () => readonly Group[], fresh: () => PresenceSettings): DocumentKind<PresenceSettings> {
  return {
    auid: PRESENCE_SETTINGS_AUID,
    file: PRESENCE_SETTINGS_FILE,
    contentType: PRESENCE_SETTINGS_CONTENT_TYPE,
    title: 'Your profiles and schedule',
    encode: encodePresenceSettings,
    decode: decodePresenceSettings,
    merge: (base, local, remote) => mergePresenceSettings(base, local, remote, groups()),
    same: sameJson,
    get empty() {
      return fresh();
    },
  };
}

export interface PresenceSettingsSyncDeps {
  client: XcapClient;
  repo: PresenceRepo;
  logger: Logger;
  notice(text: string): void;
  /** The settings came from the server (stored already): the policy and the UI follow. */
  settingsChanged(): void;
}

export function presenceSettingsSync(deps: PresenceSettingsSyncDeps): DocumentSync<PresenceSettings> {
  const { client, repo } = deps;
  const url = client.documentUrl(PRESENCE_SETTINGS_AUID, PRESENCE_SETTINGS_FILE);
  return new DocumentSync({
    client,
    kind: presenceSettingsDocument(
      () => repo.groups(),
      () => ({ profiles: [DEFAULT_PROFILE], schedule: { timeZone: localTimeZone(), rules: [], defaultProfileId: DEFAULT_PROFILE.id } }),
    ),
    logger: deps.logger,
    local: () => ({ profiles: repo.profiles(), schedule: repo.schedule() }),
    apply: (settings) => {
      const keep = new Set(settings.profiles.map((p) => p.id));
      for (const profile of settings.profiles) repo.saveProfile(profile);
      repo.setSchedule(settings.schedule);
      for (const profile of repo.profiles()) if (!keep.has(profile.id)) repo.deleteProfile(profile.id);
      deps.settingsChanged();
    },
    loadState: () => repo.serverDocumentState<DocumentSyncState<PresenceSettings>>(PRESENCE_SETTINGS_AUID, url),
    saveState: (state) => repo.setServerDocumentState(PRESENCE_SETTINGS_AUID, url, state),
    notice: deps.notice,
  });
}
