/**
 * What one NOTIFY carries for one watcher: the subscription state and the body.
 *
 *  - pending: no body at all (RFC 6665 §4.2.1: a pending subscription must not reveal state; a
 *    body-less NOTIFY is the neutral answer, and watchers show "awaiting authorization");
 *  - blocked: active, with the offline document: the codec writes offline for an entity as one
 *    fixed byte string, so the watcher cannot tell a polite block from us really being offline;
 *  - allowed: active, with the view for their group under the status in force.
 */
import type { PresenceView } from '../../../../shared/domain/presence.js';
import { encodePidf } from '../../../sip/presence/index.js';
import type { NotifyContent } from '../../../sip/subscription/watcher-dialog.js';
import type { WatcherView } from '../policy/index.js';

/**
 * The document for `view` as `entity` (our address of record) publishes it from this device
 * (`tupleId`: pidf-encode.ts deviceTupleId).
 */
export function presenceDocument(entity: string, view: PresenceView, tupleId?: string): string {
  // The contact names where we can be reached; the codec leaves it out of offline documents.
  return encodePidf(entity, view, { contact: entity, ...(tupleId ? { tupleId } : {}) });
}

export function notifyContent(entity: string, decided: WatcherView, tupleId?: string): NotifyContent {
  if (decided.source === 'pending') return { state: 'pending', body: undefined };
  return { state: 'active', body: presenceDocument(entity, decided.view, tupleId) };
}
