/**
 * Watcher decisions kept on the server as a pres-rules document (RFC 5025,
 * docs/DESIGN.md#watcher-decisions-on-the-server): whom the user allowed and blocked, and the
 * contacts (allowed without asking), so that a presence server that reads pres-rules (the bundled
 * Kamailio with presRules) enforces them for server-mode presence, and another device of the
 * account starts with the same decisions. Kept in step by DocumentSync (ETags, merge on 412).
 *
 * Merge: watcher by watcher (what one side decided since the last agreement is taken; a decision
 * both sides changed goes this device's way), contacts as a set (added or removed by either side).
 * A decision the server brought is applied to the stored watchers (a removed one goes back to
 * pending); the contacts are never applied from here (the contact list's own document does that).
 */
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { Watcher } from '../../../../shared/domain/presence.js';
import type { ParleyEvent } from '../../../../shared/ipc.js';
import {
  decodePresRules,
  encodePresRules,
  PRES_RULES_AUID,
  PRES_RULES_CONTENT_TYPE,
  type PresRules,
  type WatcherDecision,
} from '../../../sip/xcap/pres-rules.js';
import type { XcapClient } from '../../../sip/xcap/xcap-client.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import type { Logger } from '../../../support/logger.js';
import { DocumentSync, type DocumentKind, type DocumentSyncState } from './document-sync.js';
import { mergeRecords } from './record-merge.js';

const EMPTY: PresRules = Object.freeze({ decisions: {}, contacts: [] }) as unknown as PresRules;

export function mergePresRules(base: PresRules, local: PresRules, remote: PresRules): PresRules {
  const decisions = mergeRecords(
    new Map(Object.entries(base.decisions)),
    new Map(Object.entries(local.decisions)),
    new Map(Object.entries(remote.decisions)),
    (_b, l) => l,
    (a, b) => a === b,
  );
  const asSet = (aors: readonly string[]) => new Map(aors.map((aor) => [aor, true]));
  const contacts = mergeRecords(
    asSet(base.contacts),
    asSet(local.contacts),
    asSet(remote.contacts),
    () => true,
    (a, b) => a === b,
  );
  return { decisions: Object.fromEntries(decisions), contacts: [...contacts.keys()].sort() };
}

export function samePresRules(a: PresRules, b: PresRules): boolean {
  const da = Object.entries(a.decisions);
  return (
    da.length === Object.keys(b.decisions).length &&
    da.every(([aor, d]) => b.decisions[aor] === d) &&
    a.contacts.length === b.contacts.length &&
    a.contacts.every((aor, i) => aor === b.contacts[i])
  );
}

export const PRES_RULES_DOCUMENT: DocumentKind<PresRules> = {
  auid: PRES_RULES_AUID,
  contentType: PRES_RULES_CONTENT_TYPE,
  title: 'Who may see your status',
  encode: encodePresRules,
  decode: decodePresRules,
  merge: mergePresRules,
  same: samePresRules,
  empty: EMPTY,
};

/** The decisions and contacts stored on this device, as the document holds them. */
export function localPresRules(watchers: readonly Watcher[], contacts: readonly { aor: string }[]): PresRules {
  const decisions: Record<string, WatcherDecision> = {};
  for (const watcher of watchers) {
    if (watcher.status === 'pending') continue;
    decisions[normalizeAddress(watcher.aor)] = watcher.status === 'blocked' ? 'block' : 'allow';
  }
  return { decisions, contacts: [...new Set(contacts.map((c) => normalizeAddress(c.aor)))].sort() };
}

export interface PresRulesSyncDeps {
  client: XcapClient;
  repo: PresenceRepo;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** Decisions changed under the notifier (a watcher's authorisation). */
  decisionsChanged(): void;
  now(): number;
}

export function presRulesSync(deps: PresRulesSyncDeps): DocumentSync<PresRules> {
  const { client, repo } = deps;
  const url = client.documentUrl(PRES_RULES_AUID);
  return new DocumentSync({
    client,
    kind: PRES_RULES_DOCUMENT,
    logger: deps.logger,
    local: () => localPresRules(repo.watchers(), repo.contacts()),
    apply: (merged) => {
      if (applyDecisions(repo, merged.decisions, deps.now(), (watcher) => deps.emit({ type: 'watcher', watcher }))) deps.decisionsChanged();
    },
    loadState: () => repo.serverDocumentState<DocumentSyncState<PresRules>>(PRES_RULES_AUID, url),
    saveState: (state) => repo.setServerDocumentState(PRES_RULES_AUID, url, state),
    notice: (text) => deps.emit({ type: 'notice', level: 'warning', text }),
  });
}

/** Make the stored watchers' statuses these decisions; true when any changed. */
function applyDecisions(repo: PresenceRepo, decisions: PresRules['decisions'], now: number, saved: (watcher: Watcher) => void): boolean {
  const stored = new Map(repo.watchers().map((w) => [normalizeAddress(w.aor), w]));
  const want = (aor: string): Watcher['status'] =>
    decisions[aor] === 'block' ? 'blocked' : decisions[aor] === 'allow' ? 'allowed' : 'pending';
  let changed = false;
  for (const aor of new Set([...stored.keys(), ...Object.keys(decisions)])) {
    const status = want(aor);
    const known = stored.get(aor);
    if ((known?.status ?? 'pending') === status) continue;
    const watcher: Watcher = known ? { ...known, status } : { aor, status, source: 'server', subscribed: false, lastSeen: now };
    repo.saveWatcher(watcher);
    saved(watcher);
    changed = true;
  }
  return changed;
}
